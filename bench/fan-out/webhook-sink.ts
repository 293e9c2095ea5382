import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ArrivalReceiver } from '../ping-it-back/arrival-receiver';

/**
 * A loopback webhook receiver for many destinations at once. It answers 204 as soon as a body has arrived and
 * keys each POST by its `webhook-id` header (one per delivery, the same on every retry), so a delivery that
 * arrives twice is seen whatever its body says. It has the shape of the ping-it-back bench's ArrivalReceiver, so
 * that bench's fan-out timing (measureFanout) reads it as it is.
 */
export interface WebhookSink extends ArrivalReceiver {
  /** `http://127.0.0.1:<port>`: give each destination a path of its own under it. */
  url: string;
  /** POSTs per path since the last reset. */
  paths: Map<string, number>;
  /** TCP connections the sink accepted since the last reset (keep-alive senders open few). */
  connections: number;
  /** Forgets what arrived, so the next phase counts from nothing. */
  reset(): void;
}

export async function startWebhookSink(): Promise<WebhookSink> {
  const sink = {
    arrivals: new Map<string, number>(),
    duplicates: 0,
    unreadable: 0,
    lastBodyBytes: 0,
    paths: new Map<string, number>(),
    connections: 0,
    reset() {
      sink.arrivals.clear();
      sink.paths.clear();
      sink.duplicates = 0;
      sink.unreadable = 0;
      sink.connections = 0;
    },
  };
  const server = http.createServer((req, res) => {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      const at = performance.now();
      sink.lastBodyBytes = bytes;
      const path = req.url ?? '';
      sink.paths.set(path, (sink.paths.get(path) ?? 0) + 1);
      const id = req.headers['webhook-id'];
      if (typeof id !== 'string' || id === '') sink.unreadable += 1;
      else if (sink.arrivals.has(id)) sink.duplicates += 1;
      else sink.arrivals.set(id, at);
      res.writeHead(204).end();
    });
  });
  server.on('connection', () => (sink.connections += 1));
  // Longer than any sender's idle time-out (the deliverer's is 4 s), so the sender is the one that closes.
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(sink, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
