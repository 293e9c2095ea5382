import { randomInt } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  ConnectionError,
  createOutgoingAgents,
  RequestTimeoutError,
  safePost,
  UnsafeUrlError,
  type OutgoingAgentOptions,
  type OutgoingAgents,
} from '@pingback/security';
import { startTcpListener, type TcpListener } from './fixtures/loopback-server';
import { waitFor } from './fixtures/wait-for';

// Real: node:http receivers on 127.0.0.1 that watch their TCP connections, and safePost with keep-alive agents.

/** What the receiver knows about one TCP connection. */
interface Connection {
  socket: Socket;
  requests: number;
  /** We sent FIN: the connection was closed from our side. */
  endedByPeer: boolean;
  closed: boolean;
}

interface Receiver {
  url: string;
  server: http.Server;
  connections: Connection[];
  requests(): number;
  close(): Promise<void>;
}

/** `index` counts the requests on this request's connection from 0, so a handler can tell fresh from reused. */
type Handler = (res: ServerResponse, exchange: { index: number; connection: Connection }) => void;

async function startReceiver(handler: Handler = (res) => res.end('ok')): Promise<Receiver> {
  const connections: Connection[] = [];
  const byPort = new Map<number, Connection>();
  const server = http.createServer((req: IncomingMessage, res) => {
    req.resume();
    req.on('end', () => {
      const connection = byPort.get(req.socket.remotePort ?? 0)!;
      connection.requests += 1;
      handler(res, { index: connection.requests - 1, connection });
    });
  });
  server.on('connection', (socket: Socket) => {
    const connection: Connection = { socket, requests: 0, endedByPeer: false, closed: false };
    connections.push(connection);
    byPort.set(socket.remotePort ?? 0, connection);
    socket.on('end', () => (connection.endedByPeer = true));
    socket.on('close', () => (connection.closed = true));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    server,
    connections,
    requests: () => connections.reduce((sum, connection) => sum + connection.requests, 0),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the request to fail');
}

describe('safePost with keep-alive agents (createOutgoingAgents)', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
  });

  async function receiver(handler?: Handler): Promise<Receiver> {
    const started = await startReceiver(handler);
    cleanups.push(() => started.close());
    return started;
  }

  /** Agents whose new TCP connections are counted in `opened()`. */
  function agents(options: OutgoingAgentOptions = {}): OutgoingAgents & { opened(): number } {
    let opened = 0;
    const created = createOutgoingAgents({ ...options, onConnection: () => (opened += 1) });
    cleanups.push(() => {
      created.http.destroy();
      created.https.destroy();
    });
    return { ...created, opened: () => opened };
  }

  const post = (url: string, extra: Partial<Parameters<typeof safePost>[0]> = {}) => safePost({ url, body: '{}', allowPrivate: true, ...extra });

  test('when two POSTs go one after the other to one receiver with the same agents, then they share one TCP connection', async () => {
    const target = await receiver();
    const kept = agents();

    expect((await post(target.url, { agents: kept })).status).toBe(200);
    expect((await post(target.url, { agents: kept })).status).toBe(200);

    expect(target.connections).toHaveLength(1);
    expect(target.connections[0]?.requests).toBe(2);
    expect(kept.opened()).toBe(1);
  });

  test('when no agents are given, then each POST opens its own connection', async () => {
    const target = await receiver();

    await post(target.url);
    await post(target.url);

    expect(target.connections).toHaveLength(2);
    expect(target.connections.map((connection) => connection.requests)).toEqual([1, 1]);
  });

  test.each([
    ['says so in Keep-Alive', (_res: ServerResponse) => undefined],
    // A receiver behind a proxy may announce a longer time than the one that closes the connection.
    ['announces 5 s but does not keep to it', (res: ServerResponse) => res.setHeader('keep-alive', 'timeout=5')],
  ])('when the receiver closes idle connections after 50 ms and %s, then a POST sent after that still succeeds', async (_case, announce) => {
    const target = await receiver((res) => {
      announce(res);
      res.end('ok');
    });
    target.server.keepAliveTimeout = 50;
    const kept = agents();

    expect((await post(target.url, { agents: kept })).status).toBe(200);
    await waitFor(() => target.connections[0]?.closed === true);

    expect((await post(target.url, { agents: kept })).status).toBe(200);
    expect(target.connections).toHaveLength(2);
    expect(kept.opened()).toBe(2);
  });

  test('when the receiver closes a kept-alive connection as the next POST arrives on it, then the POST is sent once more on a new connection and succeeds', async () => {
    const target = await receiver((res, { index, connection }) => {
      if (index === 0) res.end('ok');
      else connection.socket.destroy(); // the race with a receiver that closes an idle connection, made certain
    });
    const kept = agents();
    await post(target.url, { agents: kept });

    const response = await post(target.url, { agents: kept });

    expect(response.status).toBe(200);
    expect(target.connections.map((connection) => connection.requests)).toEqual([2, 1]);
    expect(kept.opened()).toBe(2);
  });

  test('when the receiver closes a fresh connection before it answers, then ConnectionError surfaces and nothing is sent again', async () => {
    const target = await receiver((_res, { connection }) => connection.socket.destroy());
    const kept = agents();

    const err = await rejectionOf(post(target.url, { agents: kept }));

    expect(err).toBeInstanceOf(ConnectionError);
    expect(target.requests()).toBe(1);
    expect(target.connections).toHaveLength(1);
  });

  test('when a reused connection is closed late and the new one hangs, then the POST still ends within its one time limit', async () => {
    const TIMEOUT_MS = 1_000;
    const target = await receiver((res, { index, connection }) => {
      if (connection === target.connections[0]) {
        if (index === 0) res.end('ok');
        else setTimeout(() => connection.socket.destroy(), 700);
      } // any later connection: never answers
    });
    const kept = agents();
    await post(target.url, { agents: kept });

    const started = performance.now();
    const err = await rejectionOf(post(target.url, { agents: kept, timeoutMs: TIMEOUT_MS }));
    const elapsed = performance.now() - started;

    expect(err).toBeInstanceOf(RequestTimeoutError);
    expect(err).toMatchObject({ timeoutMs: TIMEOUT_MS });
    expect(target.connections).toHaveLength(2); // the stale one was retried…
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 400); // …inside the same time limit, not a fresh one
  });

  test('when a kept-alive connection sits idle for longer than idleTimeoutMs, then our side closes it and the next POST opens a new one', async () => {
    const IDLE_MS = 150;
    const target = await receiver();
    target.server.keepAliveTimeout = 60_000; // the receiver would keep it: any close comes from us
    const kept = agents({ idleTimeoutMs: IDLE_MS });

    await post(target.url, { agents: kept });
    const answered = performance.now();
    await waitFor(() => target.connections[0]?.endedByPeer === true, { timeoutMs: 5_000 });
    const idleFor = performance.now() - answered;

    expect(idleFor).toBeGreaterThanOrEqual(IDLE_MS - 50);
    await post(target.url, { agents: kept });
    expect(target.connections).toHaveLength(2);
    expect(kept.opened()).toBe(2);
  });
});

/**
 * With allowPrivate off only https on port 443 passes the URL check, so proving that the connect-time check
 * (not the URL check) stops a name that resolves to a private address needs a listener on port 443 of a loopback
 * address: possible as root only. The private address only ever comes from the fake resolver, and it is loopback.
 */
const asRoot = process.getuid?.() === 0 ? describe : describe.skip;

asRoot('keep-alive agents and the connect-time address check', () => {
  let listener: TcpListener;
  beforeAll(async () => {
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

  test('when a name resolves to a private address and allowPrivate is off, then the POST is refused and no connection is opened or counted', async () => {
    let opened = 0;
    const kept = createOutgoingAgents({ onConnection: () => (opened += 1) });
    const lookup = jest.fn(async () => [listener.host]);
    try {
      for (let i = 0; i < 2; i++) {
        const err = await rejectionOf(safePost({ url: 'https://internal.test/hook', body: '{}', allowPrivate: false, lookup, agents: kept }));
        expect(err).toBeInstanceOf(UnsafeUrlError);
        expect(err).toMatchObject({ reason: 'private_address', address: listener.host });
      }

      expect(lookup).toHaveBeenCalledTimes(2); // refused at connect time, once for each new socket
      expect(listener.connections()).toBe(0);
      expect(opened).toBe(0);
    } finally {
      kept.https.destroy();
    }
  });

  test('when allowPrivate is on, then the same name does reach that listener and the connection is counted (the control)', async () => {
    let opened = 0;
    const kept = createOutgoingAgents({ onConnection: () => (opened += 1) });
    try {
      const err = await rejectionOf(
        safePost({ url: 'https://internal.test/hook', body: '{}', allowPrivate: true, lookup: async () => [listener.host], agents: kept }),
      );
      expect(err).toBeInstanceOf(ConnectionError); // the listener hangs up before any TLS handshake
      expect(listener.connections()).toBe(1);
      expect(opened).toBe(1);
    } finally {
      kept.https.destroy();
    }
  });
});
