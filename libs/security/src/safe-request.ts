import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { createGuardedLookup } from './guarded-lookup';
import type { OutgoingAgents } from './outgoing-agents';
import { ConnectionError, RequestTimeoutError } from './request-errors';
import { parseRetryAfter } from './retry-after';
import { checkUrlSyntax, UnsafeUrlError, type Resolver } from './ssrf';

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const MAX_RESPONSE_BODY_BYTES = 64 * 1024;
export const DEFAULT_USER_AGENT = 'Pingback-Webhooks/1';

export interface SafePostInput {
  url: string | URL;
  body: string | Buffer;
  headers?: Readonly<Record<string, string>>;
  /** Whole request: connect, send, headers and body. */
  timeoutMs?: number;
  allowPrivate: boolean;
  /** Resolves the host name (default: the system resolver); every address it returns is checked. */
  lookup?: Resolver;
  /**
   * Keep-alive agents (createOutgoingAgents): connections to an origin are reused. Every new socket still
   * resolves through the guarded lookup, so each passes the connect-time address check. Default: one fresh
   * connection per call.
   */
  agents?: OutgoingAgents;
}

export interface SafeResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** At most MAX_RESPONSE_BODY_BYTES of the body, as UTF-8. */
  body: string;
  bodyTruncated: boolean;
  /** Retry-After in milliseconds, capped at one hour, when the response carries a readable one. */
  retryAfterMs?: number;
}

/**
 * POSTs to a user's URL: the URL's syntax and literal address are checked first, every resolved address is
 * checked again at connect time, redirects are never followed (a 3xx is returned as it is). Rejects with
 * UnsafeUrlError, RequestTimeoutError or ConnectionError; any HTTP status resolves.
 *
 * A kept-alive connection the receiver closed while it sat idle fails before any byte of the answer: that POST
 * never reached the receiver's handler, so it is sent once more on a new connection rather than spending an
 * attempt.
 */
export async function safePost(input: SafePostInput): Promise<SafeResponse> {
  // One time limit for the POST, the retry included: an attempt never takes longer than its timeout (CONTRACT §6).
  const deadline = Date.now() + (input.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
  try {
    return await postOnce(input, deadline);
  } catch (err) {
    if (!(err instanceof StaleConnectionError)) throw err;
    return postOnce(input, deadline);
  }
}

/** The reused connection was closed by the receiver before it answered. */
class StaleConnectionError extends ConnectionError {}

function postOnce(input: SafePostInput, deadline: number): Promise<SafeResponse> {
  const { body, timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS, allowPrivate } = input;
  let url: URL;
  try {
    url = checkUrlSyntax(input.url, { allowPrivate });
  } catch (err) {
    return Promise.reject(err);
  }
  const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const headers = withDefaults(input.headers ?? {}, {
    'content-type': 'application/json',
    'user-agent': DEFAULT_USER_AGENT,
  });
  headers['content-length'] = String(payload.length);
  const secure = url.protocol === 'https:';
  const transport = secure ? https : http;
  const agent = input.agents ? (secure ? input.agents.https : input.agents.http) : false;

  return new Promise<SafeResponse>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: { response: SafeResponse } | { error: Error }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if ('error' in outcome) {
        request.destroy();
        reject(outcome.error);
      } else {
        resolve(outcome.response);
      }
    };

    const request = transport.request(url, {
      method: 'POST',
      headers,
      agent,
      lookup: createGuardedLookup({ allowPrivate, resolver: input.lookup }),
    });
    const timer = setTimeout(() => finish({ error: new RequestTimeoutError(timeoutMs) }), Math.max(0, deadline - Date.now()));

    let answered = false;
    request.on('error', (err) => {
      const stale = request.reusedSocket && !answered && (err as NodeJS.ErrnoException).code === 'ECONNRESET';
      finish({ error: stale ? new StaleConnectionError('kept-alive connection closed by the receiver', { cause: err }) : classify(err) });
    });
    request.on('response', (response) => {
      answered = true;
      readLimited(response).then(
        ({ text, truncated }) => {
          const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
          finish({
            response: {
              status: response.statusCode ?? 0,
              headers: response.headers,
              body: text,
              bodyTruncated: truncated,
              ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
            },
          });
        },
        (err: unknown) => finish({ error: classify(err) }),
      );
    });
    request.end(payload);
  });
}

function readLimited(response: IncomingMessage): Promise<{ text: string; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (truncated: boolean): void => {
      response.removeAllListeners('data');
      resolve({ text: Buffer.concat(chunks).toString('utf8'), truncated });
    };
    response.on('data', (chunk: Buffer) => {
      const room = MAX_RESPONSE_BODY_BYTES - size;
      chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
      size += Math.min(chunk.length, room);
      if (chunk.length > room) {
        done(true);
        response.destroy(); // stop reading: the rest is never needed
      }
    });
    response.on('end', () => done(false));
    response.on('error', reject);
    response.on('aborted', () => reject(new ConnectionError('connection closed before the response body ended')));
  });
}

/** The caller's headers, names kept as given, over the defaults; content-length is always computed here. */
function withDefaults(given: Readonly<Record<string, string>>, defaults: Record<string, string>): Record<string, string> {
  const givenNames = new Set(Object.keys(given).map((name) => name.toLowerCase()));
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(defaults)) if (!givenNames.has(name)) headers[name] = value;
  for (const [name, value] of Object.entries(given)) if (name.toLowerCase() !== 'content-length') headers[name] = value;
  return headers;
}

function classify(err: unknown): Error {
  if (err instanceof UnsafeUrlError || err instanceof RequestTimeoutError || err instanceof ConnectionError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new ConnectionError(`connection failed: ${detail}`, { cause: err });
}
