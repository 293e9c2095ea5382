import { randomInt } from 'node:crypto';
import {
  ConnectionError,
  MAX_RESPONSE_BODY_BYTES,
  RequestTimeoutError,
  safePost,
  UnsafeUrlError,
} from '@pingback/security';
import { startLoopbackServer, startTcpListener, type LoopbackServer, type TcpListener } from './fixtures/loopback-server';

/** Rejection of a promise, or a failure if it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the request to be refused');
}

describe('safePost against loopback listeners', () => {
  const open: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((server) => server.close()));
  });
  async function server(handler?: Parameters<typeof startLoopbackServer>[0]): Promise<LoopbackServer> {
    const started = await startLoopbackServer(handler);
    open.push(started);
    return started;
  }

  test('when allowPrivate is on, then the POST is delivered with its body and headers and the answer is returned', async () => {
    const receiver = await server((_req, res) => {
      res.writeHead(202, { 'x-reply': 'yes' }).end('accepted');
    });
    const response = await safePost({
      url: `${receiver.url}/hook?x=1`,
      body: '{"hello":"wörld"}',
      headers: { 'X-Pingback-Signature': 'sha256=abc', 'Content-Length': '1' },
      allowPrivate: true,
    });
    expect(response).toMatchObject({ status: 202, body: 'accepted', bodyTruncated: false });
    expect(response.headers['x-reply']).toBe('yes');
    expect(response.retryAfterMs).toBeUndefined();
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]).toMatchObject({ method: 'POST', url: '/hook?x=1', rawBody: '{"hello":"wörld"}' });
    expect(receiver.requests[0]?.headers).toMatchObject({
      'x-pingback-signature': 'sha256=abc',
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength('{"hello":"wörld"}')),
    });
  });

  test('when allowPrivate is off, then http://127.0.0.1:<port> is refused and the listener sees no connection', async () => {
    const receiver = await server();
    for (const url of [`${receiver.url}/hook`, `http://2130706433:${receiver.port}/`, `http://[::ffff:127.0.0.1]:${receiver.port}/`]) {
      const err = await rejectionOf(safePost({ url, body: '{}', allowPrivate: false }));
      expect(err).toBeInstanceOf(UnsafeUrlError);
    }
    expect(receiver.connections()).toBe(0);
  });

  test('when an injected resolver maps evil.test to loopback and allowPrivate is off, then it is refused and the listener sees no connection', async () => {
    const receiver = await server();
    const err = await rejectionOf(
      safePost({ url: `http://evil.test:${receiver.port}/`, body: '{}', allowPrivate: false, lookup: async () => ['127.0.0.1'] }),
    );
    expect(err).toBeInstanceOf(UnsafeUrlError);
    expect(receiver.connections()).toBe(0);
  });

  test('when an injected resolver maps evil.test to loopback and allowPrivate is on, then it is delivered there', async () => {
    const receiver = await server();
    const lookup = jest.fn(async () => ['127.0.0.1']);
    const response = await safePost({ url: `http://evil.test:${receiver.port}/in`, body: '{}', allowPrivate: true, lookup });
    expect(response.status).toBe(200);
    expect(lookup).toHaveBeenCalledWith('evil.test');
    expect(receiver.requests[0]?.headers.host).toBe(`evil.test:${receiver.port}`);
  });

  test('when the receiver answers 302, then the redirect is not followed and the 302 is returned', async () => {
    const target = await server();
    const redirecting = await server((_req, res) => {
      res.writeHead(302, { location: `${target.url}/elsewhere` }).end();
    });
    const response = await safePost({ url: `${redirecting.url}/hook`, body: '{}', allowPrivate: true });
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe(`${target.url}/elsewhere`);
    expect(target.connections()).toBe(0);
  });

  test('when the receiver never answers, then the request fails with RequestTimeoutError', async () => {
    const silent = await server(() => undefined);
    const err = await rejectionOf(safePost({ url: `${silent.url}/hook`, body: '{}', allowPrivate: true, timeoutMs: 150 }));
    expect(err).toBeInstanceOf(RequestTimeoutError);
    expect(err).toMatchObject({ code: 'request_timeout', timeoutMs: 150 });
  });

  test('when the receiver sends headers and then stalls the body, then the time limit still applies', async () => {
    const trickling = await server((_req, res) => {
      res.writeHead(200);
      res.write('partial');
    });
    const err = await rejectionOf(safePost({ url: `${trickling.url}/hook`, body: '{}', allowPrivate: true, timeoutMs: 150 }));
    expect(err).toBeInstanceOf(RequestTimeoutError);
  });

  test('when nothing listens on the port, then the request fails with ConnectionError', async () => {
    const closed = await startLoopbackServer();
    await closed.close();
    const err = await rejectionOf(safePost({ url: `${closed.url}/hook`, body: '{}', allowPrivate: true }));
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err).toMatchObject({ code: 'connection_error' });
  });

  test('when the response body is larger than 64 KiB, then only the first 64 KiB is read', async () => {
    const chatty = await server((_req, res) => {
      res.writeHead(500);
      res.end('x'.repeat(MAX_RESPONSE_BODY_BYTES * 16));
    });
    const response = await safePost({ url: `${chatty.url}/hook`, body: '{}', allowPrivate: true });
    expect(response.status).toBe(500);
    expect(response.body).toHaveLength(MAX_RESPONSE_BODY_BYTES);
    expect(response.bodyTruncated).toBe(true);
  });

  test('when the receiver answers 429 with Retry-After, then retryAfterMs carries it, capped at one hour', async () => {
    let retryAfter = '120';
    const limited = await server((_req, res) => {
      res.writeHead(429, { 'retry-after': retryAfter }).end();
    });
    expect((await safePost({ url: limited.url, body: '{}', allowPrivate: true })).retryAfterMs).toBe(120_000);
    retryAfter = '86400';
    expect((await safePost({ url: limited.url, body: '{}', allowPrivate: true })).retryAfterMs).toBe(3_600_000);
  });
});

/**
 * With allowPrivate off only port 443 is allowed, so proving that the connect-time check (not the port rule)
 * stops a rebound name needs a listener on port 443 of a loopback address: possible as root only.
 */
const asRoot = process.getuid?.() === 0 ? describe : describe.skip;

asRoot('safePost against a loopback listener on port 443', () => {
  let listener: TcpListener;
  beforeAll(async () => {
    // a random 127/8 address, so nothing else on the machine is in the way
    for (let tries = 0; ; tries += 1) {
      const host = `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
      try {
        listener = await startTcpListener(host, 443);
        return;
      } catch (err) {
        if (tries > 10) throw err;
      }
    }
  });
  afterAll(() => listener.close());

  test('when a registered name later resolves to loopback (DNS rebinding), then the connection is refused at connect time', async () => {
    const err = await rejectionOf(
      safePost({ url: 'https://evil.test/hook', body: '{}', allowPrivate: false, lookup: async () => [listener.host] }),
    );
    expect(err).toBeInstanceOf(UnsafeUrlError);
    expect(err).toMatchObject({ reason: 'private_address', address: listener.host });
    expect(listener.connections()).toBe(0);
  });

  test('when the loopback address is written as a literal in any form, then it is refused without a connection', async () => {
    const [a, b, c, d] = listener.host.split('.').map(Number) as [number, number, number, number];
    const decimal = ((a * 256 + b) * 256 + c) * 256 + d;
    for (const host of [listener.host, String(decimal), `0x${decimal.toString(16)}`, `[::ffff:${listener.host}]`]) {
      const err = await rejectionOf(safePost({ url: `https://${host}/hook`, body: '{}', allowPrivate: false }));
      expect(err).toMatchObject({ reason: 'private_address' });
    }
    expect(listener.connections()).toBe(0);
  });

  test('when allowPrivate is on, then the same https://evil.test/ does reach that listener (the control)', async () => {
    const err = await rejectionOf(safePost({ url: 'https://evil.test/hook', body: '{}', allowPrivate: true, lookup: async () => [listener.host] }));
    expect(err).toBeInstanceOf(ConnectionError); // the listener hangs up before any TLS handshake
    expect(listener.connections()).toBe(1);
  });
});
