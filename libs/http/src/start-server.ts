import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { loadHttpServerSettings, type HttpServerSettings } from './server-settings';

export interface RunningServer {
  port: number;
  /** Stops accepting connections, lets in-flight requests finish, then closes idle keep-alive sockets. */
  stop(): Promise<void>;
}

/**
 * Listens with time-outs and a connection cap that fit (see HttpServerSettings); unless given, they come from the
 * environment.
 */
export function startHttpServer(
  app: Express,
  port: number,
  host = '0.0.0.0',
  settings: HttpServerSettings = loadHttpServerSettings(),
): Promise<RunningServer> {
  const server: Server = createServer(
    {
      headersTimeout: settings.headersTimeoutMs,
      requestTimeout: settings.requestTimeoutMs,
      keepAliveTimeout: settings.keepAliveTimeoutMs,
      // Node looks for overdue requests only this often (30 s by default), so a time-out fires this late at most.
      connectionsCheckingInterval: Math.min(1_000, Math.ceil(settings.headersTimeoutMs / 4)),
    },
    app,
  );
  server.maxConnections = settings.maxConnections;
  server.maxHeadersCount = settings.maxHeadersCount;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        stop: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
          }),
      });
    });
  });
}
