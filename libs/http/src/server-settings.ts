import { parseConfig } from '@pingback/config';
import { z } from 'zod';

const count = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/**
 * How long a client may take and how many may connect: Node's defaults (60 s for the headers, 300 s for a
 * request, no cap on connections) let a few slow clients hold a server's sockets for minutes. Every value can be
 * set by environment, so a test can shorten it.
 */
export const HttpServerSettings = z
  .object({
    /** The whole request line and headers must arrive within this (a slowloris client is cut off). */
    PINGBACK_HTTP_HEADERS_TIMEOUT_MS: count(10_000),
    /** The whole request, body included. The slowest route (a poll) answers within about 10 s. */
    PINGBACK_HTTP_REQUEST_TIMEOUT_MS: count(30_000),
    /** An idle keep-alive connection is closed after this. */
    PINGBACK_HTTP_KEEP_ALIVE_TIMEOUT_MS: count(5_000),
    /** Connections beyond this are closed as they arrive. */
    PINGBACK_HTTP_MAX_CONNECTIONS: count(4_096),
    /** Headers beyond this many are dropped (Node's default keeps 2,000). */
    PINGBACK_HTTP_MAX_HEADERS_COUNT: count(100),
  })
  .refine((s) => s.PINGBACK_HTTP_HEADERS_TIMEOUT_MS <= s.PINGBACK_HTTP_REQUEST_TIMEOUT_MS, {
    path: ['PINGBACK_HTTP_HEADERS_TIMEOUT_MS'],
    message: 'must not be longer than PINGBACK_HTTP_REQUEST_TIMEOUT_MS',
  })
  .transform((s) => ({
    headersTimeoutMs: s.PINGBACK_HTTP_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: s.PINGBACK_HTTP_REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: s.PINGBACK_HTTP_KEEP_ALIVE_TIMEOUT_MS,
    maxConnections: s.PINGBACK_HTTP_MAX_CONNECTIONS,
    maxHeadersCount: s.PINGBACK_HTTP_MAX_HEADERS_COUNT,
  }));
export type HttpServerSettings = z.infer<typeof HttpServerSettings>;

export const loadHttpServerSettings = (env: NodeJS.ProcessEnv = process.env): HttpServerSettings => parseConfig(HttpServerSettings, env);
