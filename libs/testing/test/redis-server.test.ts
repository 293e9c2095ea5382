import { Redis } from 'ioredis';
import { startRedisServer, type RedisServer } from '../src';

describe('startRedisServer', () => {
  let server: RedisServer;
  let client: Redis;

  beforeAll(async () => {
    server = await startRedisServer({ persistence: false });
    client = new Redis(server.url, { maxRetriesPerRequest: null });
  });

  afterAll(async () => {
    client?.disconnect();
    await server?.stop();
  });

  it('when a Redis without persistence restarts, then it comes back on the same URL with no keys', async () => {
    await client.set('survivor', 'no');
    await server.restart();
    expect(await client.get('survivor')).toBeNull();
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
  });
});
