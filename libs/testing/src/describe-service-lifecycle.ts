import { isolateTestFile, type IsolatedTestFile } from './isolate-test-file';
import { jsonClient } from './json-call';
import { serviceEnv } from './service-env';

interface Startable {
  healthPort: number;
  stop(reason: string): Promise<number>;
}

/**
 * The lifecycle every service has, tested in process on real Postgres and RabbitMQ: ready with both, not ready
 * without Postgres, its port closed after stop. `start` gets the environment and starts the service from it.
 */
export function describeServiceLifecycle(name: string, start: (env: Record<string, string>) => Promise<Startable>): void {
  describe(`${name} in process, on real Postgres and RabbitMQ`, () => {
    let isolated: IsolatedTestFile;

    beforeAll(async () => {
      isolated = await isolateTestFile();
    });

    afterAll(async () => {
      await isolated.cleanup();
    });

    test('when it starts, then it is ready with broker and Postgres, and after stop its port is closed', async () => {
      const service = await start(serviceEnv(isolated));
      const internal = jsonClient(`http://127.0.0.1:${service.healthPort}`);
      expect(await internal('GET', '/readyz')).toMatchObject({ status: 200, body: { status: 'ready', checks: { broker: 'ok', postgres: 'ok' } } });
      expect((await internal('GET', '/internal/anything')).status).toBe(404);
      expect(await service.stop('test finished')).toBe(0);
      await expect(fetch(`http://127.0.0.1:${service.healthPort}/healthz`)).rejects.toThrow();
    });

    test('when Postgres cannot be reached, then it starts but is not ready', async () => {
      const service = await start(serviceEnv(isolated, { DATABASE_URL: 'postgresql://nobody:nothing@127.0.0.1:1/none' }));
      try {
        const ready = await jsonClient(`http://127.0.0.1:${service.healthPort}`)('GET', '/readyz');
        expect(ready).toMatchObject({ status: 503, body: { checks: { postgres: 'down' } } });
      } finally {
        await service.stop('test finished');
      }
    });
  });
}
