import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { AnswerRequest } from '@pingback/contracts';
import { createErrorHandler, createHttpApp, jsonBody, loadHttpServerSettings, startHttpServer, type RunningServer } from '@pingback/http';
import express from 'express';
import pino from 'pino';

const LIMIT = 1024;

/** One JSON route, one form route and one route with a path parameter, as the gateway builds them. */
async function startApp(): Promise<{ server: RunningServer; url: string; seen: unknown[] }> {
  const seen: unknown[] = [];
  const app = createHttpApp({ logger: pino({ level: 'silent' }) });
  app.post('/json', jsonBody(LIMIT, { maxDepth: 4 }), (req, res) => {
    seen.push(req.body);
    res.json({ ok: true });
  });
  app.post('/form', express.urlencoded({ extended: false, limit: LIMIT }), (req, res) => {
    seen.push(AnswerRequest.parse({ triggered_by: req.body.triggered_by }));
    res.json({ ok: true });
  });
  // Room for more than the parser's 1,000 fields, so the field count is what fails, not the byte limit.
  app.post('/wide-form', express.urlencoded({ extended: false, limit: 64 * LIMIT }), (req, res) => {
    seen.push(req.body);
    res.json({ ok: true });
  });
  app.get('/items/:id', (req, res) => {
    seen.push(req.params.id);
    res.json({ id: req.params.id });
  });
  app.use(createErrorHandler());
  const server = await startHttpServer(app, 0, '127.0.0.1', loadHttpServerSettings({}));
  return { server, url: `http://127.0.0.1:${server.port}`, seen };
}

async function post(url: string, body: Buffer | string, headers: Record<string, string>) {
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('request bodies that cannot be read as sent', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app?.server.stop();
  });
  beforeEach(() => {
    app.seen.length = 0;
  });

  const valid = '{"title":"Deploy?"}';
  const json = (encoding?: string) => ({ 'content-type': 'application/json', ...(encoding ? { 'content-encoding': encoding } : {}) });
  const corrupt: [string, Buffer][] = [
    ['gzip', Buffer.from('this is not gzip at all')],
    ['gzip', gzipSync(valid).subarray(0, 12)],
    ['deflate', Buffer.from('this is not deflate')],
    ['br', Buffer.from('this is not brotli!!')],
  ];

  test.each(corrupt)('when a %s body fails to decompress, then 400 invalid_json and the route never runs', async (encoding, body) => {
    expect(await post(`${app.url}/json`, body, json(encoding))).toEqual({ status: 400, body: { error: 'invalid_json', message: expect.any(String) } });
    expect(await post(`${app.url}/form`, body, { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': encoding })).toMatchObject({
      status: 400,
      body: { error: 'invalid_json' },
    });
    expect(app.seen).toEqual([]);
  });

  test.each([
    ['gzip', gzipSync(valid)],
    ['deflate', deflateSync(valid)],
    ['br', brotliCompressSync(valid)],
  ])('when a %s body is well-formed, then it is read', async (encoding, body) => {
    expect(await post(`${app.url}/json`, body, json(encoding))).toEqual({ status: 200, body: { ok: true } });
    expect(app.seen).toEqual([{ title: 'Deploy?' }]);
  });

  test('when a small gzip body inflates past the limit, then 413 payload_too_large', async () => {
    const bomb = gzipSync(JSON.stringify({ padding: ' '.repeat(10 * 1024 * 1024) }));
    expect(bomb.length).toBeLessThan(LIMIT * 20);
    expect(await post(`${app.url}/json`, bomb, json('gzip'))).toMatchObject({ status: 413, body: { error: 'payload_too_large' } });
  });

  test('when a form has more fields than the parser reads, then 413 payload_too_large, not a 5xx', async () => {
    const fields = Array.from({ length: 1001 }, (_, i) => `k${i}=v`).join('&');
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    expect(await post(`${app.url}/wide-form`, `${fields}&triggered_by=go`, form)).toMatchObject({ status: 413, body: { error: 'payload_too_large' } });
    expect(app.seen).toEqual([]);
  });

  test('when the Content-Encoding is one Pingback does not read, then 415 unsupported_media_type', async () => {
    expect(await post(`${app.url}/json`, valid, json('compress'))).toMatchObject({ status: 415, body: { error: 'unsupported_media_type' } });
  });

  test('when the body nests deeper than the limit, then 400 validation_failed names where', async () => {
    const deep = `${'['.repeat(500)}${']'.repeat(500)}`;
    expect(await post(`${app.url}/json`, deep, json())).toEqual({
      status: 400,
      body: { error: 'validation_failed', message: expect.any(String), fields: [{ path: '0.0.0.0', message: 'must not be nested more than 4 levels deep' }] },
    });
    expect(await post(`${app.url}/json`, '{"a":{"b":{"c":{"d":1}}}}', json())).toMatchObject({ status: 200 });
  });

  test.each([
    ['a NUL in a value of a field no route reads', '{"title":"x","extra":{"note":"a\\u0000b"}}', 'extra.note'],
    ['a NUL in a key', '{"title":"x","a\\u0000":1}', 'a\u0000'],
    ['an unpaired surrogate', '{"title":"\\udc00"}', 'title'],
    ['a __proto__ key', '{"data":{"__proto__":{"polluted":true}}}', 'data.__proto__'],
    ['a number too large to be finite', '{"n":1e400}', 'n'],
  ])('when the body holds %s, then 400 validation_failed before the route runs', async (_name, body, path) => {
    const response = await post(`${app.url}/json`, body, json());
    expect(response).toEqual({ status: 400, body: { error: 'validation_failed', message: expect.any(String), fields: [{ path, message: expect.any(String) }] } });
    expect(app.seen).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('when a form field holds a NUL, then 400 validation_failed in our words', async () => {
    const response = await post(`${app.url}/form`, 'triggered_by=go%00', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(response).toEqual({
      status: 400,
      body: { error: 'validation_failed', message: expect.any(String), fields: [{ path: 'triggered_by', message: 'must not contain NUL characters' }] },
    });
  });

  test.each([
    ['/items/%00', 'must not contain NUL characters (%00)'],
    ['/items/x?cursor=%00', 'must not contain NUL characters (%00)'],
    ['/items/%E0%A4%A', 'must be valid percent-encoded UTF-8'],
    ['/items/%ED%A0%80', 'must be valid percent-encoded UTF-8'],
  ])('when the URL is %s, then 400 validation_failed, not a 5xx', async (path, message) => {
    const response = await fetch(`${app.url}${path}`);
    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 400,
      body: { error: 'validation_failed', message: expect.any(String), fields: [{ path: 'url', message }] },
    });
    expect(app.seen).toEqual([]);
  });
});
