import { randomBytes } from 'node:crypto';
import { isolateTestFile, startService, type IsolatedTestFile } from '../src';

// Any compiled service would do; approval-service needs little configuration.
const SERVICE = 'approval-service';

describe('startService', () => {
  let isolated: IsolatedTestFile;
  let env: Record<string, string>;

  beforeAll(async () => {
    isolated = await isolateTestFile();
    env = {
      DATABASE_URL: isolated.databaseUrl,
      REDIS_URL: isolated.redisUrl,
      REDIS_KEY_PREFIX: isolated.redisPrefix,
      RABBITMQ_URL: isolated.rabbitUrl,
      PINGBACK_SECRET_KEY: randomBytes(32).toString('base64'),
      PINGBACK_PUBLIC_URL: 'http://127.0.0.1:8080',
      LOG_LEVEL: 'info',
    };
  });

  afterAll(() => isolated?.cleanup());

  it('when a service is started, then it resolves once /readyz answers, and stop() ends it with SIGTERM', async () => {
    const service = await startService(SERVICE, env);
    const ready = await fetch(`http://127.0.0.1:${service.healthPort}/readyz`);
    expect(ready.status).toBe(200);
    expect(service.pid).toBeGreaterThan(0);

    const exit = await service.stop();
    expect(exit).toEqual({ code: 0, signal: null });
  });

  it('when a service is killed, then waitForExit reports the signal', async () => {
    const service = await startService(SERVICE, env);
    service.kill('SIGKILL');
    expect(await service.waitForExit()).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('when a service exits before it is ready, then startService rejects with its output', async () => {
    await expect(startService(SERVICE, { ...env, DATABASE_URL: 'not a url' })).rejects.toThrow(
      /did not become ready: it exited[\s\S]*DATABASE_URL/,
    );
  });
});
