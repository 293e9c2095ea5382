import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
  text: string;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Sent as JSON unless a string. */
  body?: unknown;
  /** The client's own address: any loopback address (127.0.0.0/8) stands for another client. */
  from?: string;
}

export interface Served {
  url: string;
  request(path: string, options?: RequestOptions): Promise<Reply>;
  close(): Promise<void>;
}

/** Serves an express app on a free loopback port of this process, and asks it over real HTTP. */
export async function serve(app: Express): Promise<Served> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new http.Agent({ keepAlive: false });
  return {
    url: `http://127.0.0.1:${port}`,
    request: (path, options = {}) =>
      new Promise<Reply>((resolve, reject) => {
        const payload = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            path,
            method: options.method ?? (payload === undefined ? 'GET' : 'POST'),
            localAddress: options.from ?? '127.0.0.1',
            agent,
            headers: { ...(payload !== undefined && typeof options.body !== 'string' ? { 'content-type': 'application/json' } : {}), ...options.headers },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              let body: Record<string, unknown> = {};
              try {
                body = JSON.parse(text) as Record<string, unknown>;
              } catch {
                // a page or an empty body
              }
              resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text });
            });
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(payload);
      }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        agent.destroy();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
