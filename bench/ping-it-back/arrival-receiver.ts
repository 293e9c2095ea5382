import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ArrivalReceiver {
  url: string;
  /** First arrival time (performance.now()) per key (message_id unless told otherwise). */
  arrivals: Map<string, number>;
  /** POSTs for a key that had already arrived (at-least-once delivery shows up here). */
  duplicates: number;
  /** Bodies without a readable key. */
  unreadable: number;
  /** The size of the last body that arrived: the raw HTTP baseline posts bodies of this size. */
  lastBodyBytes: number;
  close(): Promise<void>;
}

/**
 * A loopback webhook destination that notes when each notification arrives. It answers 200 at once and checks
 * nothing else: the bench measures the platform, not this receiver. A fan-out sends one message to many
 * destinations, so its receiver counts by `delivery_id` instead of `message_id`.
 */
export async function startArrivalReceiver(key: 'message_id' | 'delivery_id' = 'message_id'): Promise<ArrivalReceiver> {
  const receiver: Omit<ArrivalReceiver, 'url' | 'close'> = { arrivals: new Map(), duplicates: 0, unreadable: 0, lastBodyBytes: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const at = performance.now();
      const body = Buffer.concat(chunks);
      receiver.lastBodyBytes = body.length;
      let id: unknown;
      try {
        id = (JSON.parse(body.toString('utf8')) as Record<string, unknown>)[key];
      } catch {
        id = undefined;
      }
      if (typeof id !== 'string') receiver.unreadable += 1;
      else if (receiver.arrivals.has(id)) receiver.duplicates += 1;
      else receiver.arrivals.set(id, at);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/hooks/pingback`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
