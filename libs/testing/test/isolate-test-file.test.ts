import { listServiceMigrations } from '@pingback/db';
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { isolateTestFile, type IsolatedTestFile } from '../src';

async function schemasOf(databaseUrl: string): Promise<string[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ table_schema: string }>(
      "SELECT table_schema FROM information_schema.tables WHERE table_name = '_prisma_migrations'",
    );
    return result.rows.map((row) => row.table_schema).sort();
  } finally {
    await client.end();
  }
}

async function queueExists(rabbitUrl: string, queue: string): Promise<boolean> {
  const connection = await amqp.connect(rabbitUrl);
  try {
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    try {
      await channel.checkQueue(queue);
      return true;
    } catch {
      return false;
    }
  } finally {
    await connection.close().catch(() => undefined);
  }
}

describe('isolateTestFile', () => {
  let first: IsolatedTestFile;
  let second: IsolatedTestFile;

  beforeAll(async () => {
    [first, second] = await Promise.all([isolateTestFile(), isolateTestFile()]);
  });

  afterAll(async () => {
    await Promise.all([first?.cleanup(), second?.cleanup()]);
  });

  it('when two test files are isolated, then they get different databases, vhosts and Redis prefixes', () => {
    expect(first.databaseUrl).not.toBe(second.databaseUrl);
    expect(first.rabbitUrl).not.toBe(second.rabbitUrl);
    expect(first.redisPrefix).not.toBe(second.redisPrefix);
    expect(first.redisPrefix).toMatch(/^test:[0-9a-f]+:$/);
  });

  it("when a test file's database is opened, then it holds every service's migrated schema", async () => {
    const expected = listServiceMigrations()
      .map((service) => service.schema)
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(await schemasOf(first.databaseUrl)).toEqual(expected);
  });

  it("when one file declares a queue, then the other file's vhost does not have it", async () => {
    const connection = await amqp.connect(first.rabbitUrl);
    try {
      const channel = await connection.createChannel();
      await channel.assertQueue('isolation-probe', { durable: false });
    } finally {
      await connection.close();
    }
    expect(await queueExists(first.rabbitUrl, 'isolation-probe')).toBe(true);
    expect(await queueExists(second.rabbitUrl, 'isolation-probe')).toBe(false);
  });

  it('when cleanup runs, then the database and the prefixed Redis keys are gone', async () => {
    const third = await isolateTestFile();
    const redis = new Redis(third.redisUrl);
    try {
      await redis.set(`${third.redisPrefix}probe`, '1');
      await third.cleanup();
      expect(await redis.exists(`${third.redisPrefix}probe`)).toBe(0);
    } finally {
      redis.disconnect();
    }
    await expect(schemasOf(third.databaseUrl)).rejects.toThrow(/does not exist/);
  });
});
