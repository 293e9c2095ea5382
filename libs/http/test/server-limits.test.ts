import net from 'node:net';
import { ConfigError } from '@pingback/config';
import { loadHttpServerSettings, startHttpServer, type RunningServer } from '@pingback/http';
import express from 'express';

interface SlowClient {
  /** Resolves when the server closes the connection: what it sent back, and after how long. */
  closed: Promise<{ received: string; afterMs: number }>;
  destroy(): void;
}

/** Opens a connection, sends `head` at once, then one more byte every `intervalMs` for as long as it is open. */
function slowClient(port: number, head: string, drip: string, intervalMs = 50): SlowClient {
  const socket = net.connect({ host: '127.0.0.1', port });
  const started = Date.now();
  let received = '';
  let timer: NodeJS.Timeout | undefined;
  socket.on('connect', () => {
    socket.write(head);
    let next = 0;
    timer = setInterval(() => socket.write(drip[next++ % drip.length]!), intervalMs);
  });
  socket.on('data', (chunk) => (received += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  const closed = new Promise<{ received: string; afterMs: number }>((resolve) =>
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ received, afterMs: Date.now() - started });
    }),
  );
  return { closed, destroy: () => socket.destroy() };
}

const HEADERS_TIMEOUT_MS = 600;
const REQUEST_TIMEOUT_MS = 1_200;

describe('HTTP server time-outs and connection cap, shortened by configuration', () => {
  let server: RunningServer;
  const clients: SlowClient[] = [];

  beforeAll(async () => {
    const app = express();
    app.post('/echo', express.text({ type: () => true }), (req, res) => void res.send(`got ${String(req.body).length}`));
    app.get('/', (_req, res) => void res.send('ok'));
    const settings = loadHttpServerSettings({
      PINGBACK_HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      PINGBACK_HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      PINGBACK_HTTP_MAX_CONNECTIONS: '3',
    });
    server = await startHttpServer(app, 0, '127.0.0.1', settings);
  });
  afterEach(() => {
    clients.splice(0).forEach((client) => client.destroy());
  });
  afterAll(async () => {
    await server?.stop();
  });

  const open = (head: string, drip: string) => {
    const client = slowClient(server.port, head, drip);
    clients.push(client);
    return client;
  };

  test('when a client sends its headers byte by byte, then it is cut off with 408 once the headers time-out passes', async () => {
    const { received, afterMs } = await open('GET / HTTP/1.1\r\nHost: localhost\r\n', 'X-Slow: yes\r\n').closed;
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(afterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 100);
    // Node checks for overdue requests every quarter of the headers time-out here (every 30 s by default).
    expect(afterMs).toBeLessThan(HEADERS_TIMEOUT_MS * 2 + 500);
  });

  test('when a client sends its body byte by byte, then it is cut off with 408 once the request time-out passes', async () => {
    const head = 'POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n';
    const { received, afterMs } = await open(head, 'x').closed;
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(afterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
    expect(afterMs).toBeLessThan(REQUEST_TIMEOUT_MS * 2 + 500);
  });

  test('when the connection cap is reached, then a further connection is closed at once and a later one is served', async () => {
    const holders = [0, 1, 2].map(() => open('GET / HTTP/1.1\r\nHost: localhost\r\n', 'X'));
    await new Promise((resolve) => setTimeout(resolve, 100)); // the three are accepted before the fourth comes
    const refused = await open('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n', '').closed;
    expect(refused.received).toBe('');
    expect(refused.afterMs).toBeLessThan(HEADERS_TIMEOUT_MS);
    holders.forEach((client) => client.destroy());
    await Promise.all(holders.map((client) => client.closed));
    const served = await fetch(`http://127.0.0.1:${server.port}/`, { headers: { connection: 'close' } });
    expect(await served.text()).toBe('ok');
  });
});

describe('loadHttpServerSettings', () => {
  test('when nothing is set, then the defaults fit a public edge, not Node’s minutes', () => {
    expect(loadHttpServerSettings({})).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 4_096,
      maxHeadersCount: 100,
    });
  });

  test('when a value is not a positive whole number, then one line names the variable', () => {
    expect(() => loadHttpServerSettings({ PINGBACK_HTTP_REQUEST_TIMEOUT_MS: 'soon' })).toThrow(
      new ConfigError('config: PINGBACK_HTTP_REQUEST_TIMEOUT_MS is invalid: must be a number'),
    );
  });

  test('when the headers time-out is longer than the request time-out, then it is refused', () => {
    expect(() => loadHttpServerSettings({ PINGBACK_HTTP_HEADERS_TIMEOUT_MS: '5000', PINGBACK_HTTP_REQUEST_TIMEOUT_MS: '1000' })).toThrow(
      /PINGBACK_HTTP_HEADERS_TIMEOUT_MS is invalid: must not be longer than PINGBACK_HTTP_REQUEST_TIMEOUT_MS/,
    );
  });
});
