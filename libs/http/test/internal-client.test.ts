import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { z } from 'zod';
import express from 'express';
import { AppError } from '../src/app-error';
import { createInternalClient } from '../src/internal-client';

const Greeting = { method: 'GET', pattern: '/internal/greetings/:name', response: z.object({ hello: z.string() }) } as const;

let server: Server;
let base: string;

beforeAll(async () => {
  const app = express();
  app.get('/internal/greetings/:name', (req, res) => {
    if (req.params.name === 'nobody') return void res.status(404).json({ error: 'not_found', message: 'no such greeting' });
    if (req.params.name === 'broken') return void res.status(500).json({ error: 'internal', message: 'boom' });
    if (req.params.name === 'wrong') return void res.json({ hi: 'there' });
    res.json({ hello: req.params.name });
  });
  server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('createInternalClient', () => {
  test('when the owner answers as its contract says, then the parsed reply comes back', async () => {
    await expect(createInternalClient(base, { credential: 'c' })(Greeting, { params: { name: 'a b/c' } })).resolves.toEqual({ hello: 'a b/c' });
  });

  test('when the owner answers with one of our error codes, then the caller gets that code', async () => {
    await expect(createInternalClient(base, { credential: 'c' })(Greeting, { params: { name: 'nobody' } })).rejects.toMatchObject({ code: 'not_found', status: 404 });
  });

  test('when the owner fails, then the caller gets 503 service_unavailable, never a success', async () => {
    await expect(createInternalClient(base, { credential: 'c' })(Greeting, { params: { name: 'broken' } })).rejects.toMatchObject({ code: 'service_unavailable' });
  });

  test('when the reply does not match the contract, then it is an internal error, not data passed on', async () => {
    const call = createInternalClient(base, { credential: 'c' })(Greeting, { params: { name: 'wrong' } });
    await expect(call).rejects.toBeInstanceOf(AppError);
    await expect(call).rejects.toMatchObject({ code: 'internal' });
  });

  test('when the owner cannot be reached, then 503 with Retry-After', async () => {
    const closed = express().listen(0, '127.0.0.1');
    await new Promise((resolve) => closed.once('listening', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(createInternalClient(`http://127.0.0.1:${port}`, { credential: 'c' })(Greeting, { params: { name: 'x' } })).rejects.toMatchObject({
      code: 'service_unavailable',
      headers: { 'Retry-After': '1' },
    });
  });
});
