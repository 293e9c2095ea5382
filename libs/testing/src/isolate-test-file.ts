import { randomBytes } from 'node:crypto';
import { createDatabaseFromTemplate } from '@pingback/db';
import { Redis } from 'ioredis';
import { createIsolatedVhost } from './rabbit-vhost';
import { templateDatabaseName } from './template-database-name';
import { getTestInfra } from './test-infra';

/** One test file's own slice of the infrastructure, so test files run in parallel without seeing each other. */
export interface IsolatedTestFile {
  /** A new database copied from the migrated template: every service's schema, no rows. */
  databaseUrl: string;
  /** A new vhost on the shared broker. */
  rabbitUrl: string;
  redisUrl: string;
  /** `test:<random>:`; prefix every key with it. cleanup() deletes the keys that carry it. */
  redisPrefix: string;
  /** Drops the database and the vhost and deletes the prefixed keys. */
  cleanup(): Promise<void>;
}

async function deleteKeysWithPrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * Call once per test file (in beforeAll), and cleanup() in afterAll. Needs the jest global setup to have made
 * the template database.
 */
export async function isolateTestFile(): Promise<IsolatedTestFile> {
  const infra = await getTestInfra();
  const database = await createDatabaseFromTemplate(infra.databaseUrl, templateDatabaseName());
  let vhost;
  try {
    vhost = await createIsolatedVhost(infra.rabbitUrl, infra.rabbitManagementUrl);
  } catch (error) {
    await database.drop();
    throw error;
  }
  const redisPrefix = `test:${randomBytes(6).toString('hex')}:`;
  return {
    databaseUrl: database.url,
    rabbitUrl: vhost.url,
    redisUrl: infra.redisUrl,
    redisPrefix,
    cleanup: async () => {
      const results = await Promise.allSettled([
        database.drop(),
        vhost.delete(),
        deleteKeysWithPrefix(infra.redisUrl, redisPrefix),
      ]);
      const failed = results.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
}
