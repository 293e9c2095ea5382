import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ArrivalReceiver {
  url: string;
  /** First arrival time (performance.now()) per message_id. */
  arrivals: Map<string, number>;
  /** POSTs for a message_id that had already arrived (at-least-once delivery shows up here). */
  duplicates: number;
  /** Bodies without a readable message_id. */
  unreadable: number;
  close(): Promise<void>;
}

/**
 * A loopback webhook destination that notes when each notification arrives. It answers 200 at once and checks
 * nothing else: the bench measures the platform, not this receiver.
 */
export async function startArrivalReceiver(): Promise<ArrivalReceiver> {
  const receiver: Omit<ArrivalReceiver, 'url' | 'close'> = { arrivals: new Map(), duplicates: 0, unreadable: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const at = performance.now();
      let messageId: unknown;
      try {
        messageId = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { message_id?: unknown }).message_id;
      } catch {
        messageId = undefined;
      }
      if (typeof messageId !== 'string') receiver.unreadable += 1;
      else if (receiver.arrivals.has(messageId)) receiver.duplicates += 1;
      else receiver.arrivals.set(messageId, at);
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
