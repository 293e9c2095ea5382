import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  json: unknown;
}

export type ReceiverReply = { status: number; headers?: Record<string, string>; body?: string };

/**
 * A loopback HTTP server standing in for a user's endpoint (a webhook destination or a callback URL).
 * It records every request; `reply` decides each answer (200 by default).
 */
export async function startReceiver(reply: (request: ReceivedRequest, index: number) => ReceiverReply | Promise<ReceiverReply> = () => ({ status: 200 })) {
  const requests: ReceivedRequest[] = [];
  const waiters: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = rawBody ? JSON.parse(rawBody) : undefined;
      } catch {
        json = undefined;
      }
      const request = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, rawBody, json };
      requests.push(request);
      waiters.splice(0).forEach((wake) => wake());
      const answer = await reply(request, requests.length - 1);
      res.writeHead(answer.status, answer.headers).end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    /** Resolves once `count` requests arrived (or rejects after `timeoutMs`). */
    async waitForRequests(count: number, timeoutMs = 30_000): Promise<ReceivedRequest[]> {
      const deadline = Date.now() + timeoutMs;
      while (requests.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} requests at ${url}, got ${requests.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 250);
        });
      }
      return requests.slice(0, count);
    },
    /** Resolves with the first request that `matches` (or rejects after `timeoutMs`). */
    async waitForRequest(matches: (request: ReceivedRequest) => boolean, timeoutMs = 30_000): Promise<ReceivedRequest> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = requests.find(matches);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no matching request at ${url} among ${requests.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 250);
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
