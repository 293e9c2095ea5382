import { randomBytes } from 'node:crypto';
import { createInternalClient, INTERNAL_CALL_HEADER, startInternalServer, type InternalServer } from '@pingback/http';
import { createLogger } from '@pingback/observability';
import { createKeyring, internalCallCheck, internalCallCredential } from '@pingback/security';
import express from 'express';
import { Registry } from 'prom-client';
import { z } from 'zod';

const Echo = { method: 'POST', pattern: '/internal/things/:id/expire', response: z.object({ expired: z.string() }) } as const;

const previousKey = randomBytes(32).toString('base64');
const currentKey = randomBytes(32).toString('base64');
const keyring = createKeyring(currentKey, [previousKey]);

let server: InternalServer;
let base: string;

beforeAll(async () => {
  const routes = express.Router();
  routes.post('/internal/things/:id/expire', (req, res) => void res.json({ expired: req.params.id }));
  server = await startInternalServer({
    port: 0,
    logger: createLogger('internal-server-test', 'silent'),
    registry: new Registry(),
    checks: [],
    routes,
    isInternalCredential: internalCallCheck(keyring),
  });
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(() => server.stop());

const post = (path: string, headers: Record<string, string> = {}) => fetch(base + path, { method: 'POST', headers });

describe('startInternalServer', () => {
  test('when an internal route is called without the internal-call header, then it is 404 not_found, as if it did not exist', async () => {
    const reply = await post('/internal/things/t1/expire');
    expect(reply.status).toBe(404);
    expect(await reply.json()).toMatchObject({ error: 'not_found' });
  });

  test('when the path differs only in case, then it is refused as well', async () => {
    expect((await post('/INTERNAL/things/t1/expire')).status).toBe(404);
  });

  test('when the header carries a wrong value, then it is 404', async () => {
    expect((await post('/internal/things/t1/expire', { [INTERNAL_CALL_HEADER]: 'guess' })).status).toBe(404);
    const otherKeyring = createKeyring(randomBytes(32).toString('base64'));
    expect((await post('/internal/things/t1/expire', { [INTERNAL_CALL_HEADER]: internalCallCredential(otherKeyring) })).status).toBe(404);
  });

  test('when the header carries the current key credential, then the route answers 200', async () => {
    const reply = await post('/internal/things/t1/expire', { [INTERNAL_CALL_HEADER]: internalCallCredential(keyring) });
    expect(reply.status).toBe(200);
    await expect(reply.json()).resolves.toEqual({ expired: 't1' });
  });

  test('when a service still on the previous key calls, then the route answers 200 (a rotation does not break the fleet)', async () => {
    const stillOnPrevious = createKeyring(previousKey);
    const call = createInternalClient(base, { credential: internalCallCredential(stillOnPrevious) });
    await expect(call(Echo, { params: { id: 't2' } })).resolves.toEqual({ expired: 't2' });
  });

  test('when /healthz, /readyz or /metrics are asked without the header, then they stay open', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/metrics`)).status).toBe(200);
  });
});
