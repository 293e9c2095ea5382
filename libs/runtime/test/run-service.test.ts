import net from 'node:net';
import { createPostgresCheck } from '@pingback/db';
import { createLogger } from '@pingback/observability';
import { createRedis } from '@pingback/redis';
import { freePort, isolateTestFile, jsonClient, waitFor, type IsolatedTestFile } from '@pingback/testing';
import express from 'express';
import { runService, type RuntimeConfig, type ServiceParts } from '../src/run-service';
import { testRuntimeConfig } from './support/runtime-config';

let isolated: IsolatedTestFile;
const logger = createLogger('run-service-test', process.env.TEST_LOG_LEVEL ?? 'silent');

beforeAll(async () => {
  isolated = await isolateTestFile();
});

afterAll(async () => {
  await isolated.cleanup();
});

function config(overrides: Partial<RuntimeConfig> = {}): RuntimeConfig {
  return testRuntimeConfig(isolated.rabbitUrl, overrides);
}

/** Real parts, each recording when it stops. */
function recordedParts(stopped: string[], extra: Partial<ServiceParts> = {}): ServiceParts {
  const postgres = createPostgresCheck(isolated.databaseUrl);
  return {
    database: { ping: postgres.ping, close: async () => void (await postgres.close(), stopped.push('postgres')) },
    workers: [{ name: 'relay', start: () => undefined, stop: async () => void stopped.push('relay') }],
    ...extra,
  };
}

describe('runService', () => {
  test('when a service runs, then its internal port is ready and stop runs the parts in the fixed order', async () => {
    const stopped: string[] = [];
    const app = express().get('/hello', (_req, res) => void res.json({ hello: 'world' }));
    const service = await runService({
      name: 'sample',
      config: config(),
      logger,
      build: () => recordedParts(stopped, { publicApp: { app, port: 0 } }),
    });
    const ready = await jsonClient(`http://127.0.0.1:${service.healthPort}`)('GET', '/readyz');
    expect(ready).toMatchObject({ status: 200, body: { status: 'ready', checks: { broker: 'ok', postgres: 'ok' } } });
    expect((await jsonClient(`http://127.0.0.1:${service.publicPort}`)('GET', '/hello')).body).toEqual({ hello: 'world' });

    expect(await service.stop('test')).toBe(0);
    expect(stopped).toEqual(['relay', 'postgres']);
    await expect(fetch(`http://127.0.0.1:${service.publicPort}/hello`)).rejects.toThrow();
  });

  test('when Redis is unreachable, then the service still starts and reports Redis as degraded', async () => {
    const redis = createRedis(`redis://127.0.0.1:${await freePort()}`, { keyPrefix: 'test:', logger });
    const service = await runService({ name: 'sample', config: config(), logger, build: () => recordedParts([], { redis }) });
    const ready = await jsonClient(`http://127.0.0.1:${service.healthPort}`)('GET', '/readyz');
    expect(ready).toMatchObject({ status: 200, body: { checks: { redis: 'degraded' } } });
    expect(await service.stop('test')).toBe(0);
  });

  test('when a part cannot start, then what had started is stopped and the error reaches the caller', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    const stopped: string[] = [];
    try {
      await expect(
        runService({ name: 'sample', config: config({ HEALTH_PORT: port }), logger, build: () => recordedParts(stopped) }),
      ).rejects.toThrow(/EADDRINUSE/);
      expect(stopped).toEqual(['relay', 'postgres']);
    } finally {
      taken.close();
    }
  });

  test('when a worker is still busy at the deadline, then stop resolves 1 instead of hanging', async () => {
    let release: () => void = () => undefined;
    const busy = new Promise<void>((resolve) => (release = resolve));
    const stopped: string[] = [];
    const service = await runService({
      name: 'sample',
      config: config({ SHUTDOWN_DEADLINE_MS: 300 }),
      logger,
      build: () => ({ ...recordedParts(stopped), workers: [{ name: 'stuck', start: () => undefined, stop: () => busy }] }),
    });
    expect(await service.stop('test')).toBe(1);
    expect(stopped).toEqual([]);
    // The steps after it still run once it lets go, so nothing is left open.
    release();
    await waitFor(() => stopped.includes('postgres'), { description: 'the later steps' });
  });
});
