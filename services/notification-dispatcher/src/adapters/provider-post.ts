import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { ConnectionError, createOutgoingAgents, RequestTimeoutError } from '@pingback/security';
import type { SendResult } from './adapter';

/** Provider answers are small; a longer body is cut here and then reads as no JSON. */
const MAX_ANSWER_BYTES = 256 * 1024;
const USER_AGENT = 'Pingback/1';

export interface ProviderResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The parsed body; undefined when it is not JSON. */
  json: unknown;
}

/**
 * JSON POSTs to an operator-set provider base URL (Telegram, PagerDuty), over kept-alive connections. The base
 * URL is trusted configuration (CONTRACT §6), so no address check. node:http rather than fetch: the pool belongs
 * to the adapter, so `close()` ends exactly its connections.
 */
export interface ProviderPost {
  /** Rejects with RequestTimeoutError or ConnectionError; any HTTP status resolves. */
  post(url: string, body: unknown, timeoutMs: number): Promise<ProviderResponse>;
  close(): void;
}

export function createProviderPost(): ProviderPost {
  const agents = createOutgoingAgents();
  return {
    async post(url, body, timeoutMs) {
      // One deadline for the whole attempt, the resend on a stale connection included.
      const deadline = Date.now() + timeoutMs;
      const payload = Buffer.from(JSON.stringify(body), 'utf8');
      try {
        return await postOnce(new URL(url), payload, timeoutMs, deadline, agents);
      } catch (err) {
        if (!(err instanceof StaleConnectionError)) throw err;
        return postOnce(new URL(url), payload, timeoutMs, deadline, agents);
      }
    },
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

/** How a request that got no answer maps to a send result: always worth another attempt. */
export function retryAfterRequestError(provider: string, err: unknown): SendResult {
  if (err instanceof RequestTimeoutError) {
    return { kind: 'retry', code: 'TIMEOUT', message: `${provider} did not respond within ${err.timeoutMs / 1000} seconds` };
  }
  const detail = err instanceof Error ? err.message : String(err);
  return { kind: 'retry', code: 'CONNECTION_ERROR', message: `${provider} could not be reached: ${detail}` };
}

/** A kept-alive connection the provider closed while idle: the POST never reached it, so it is sent once more. */
class StaleConnectionError extends ConnectionError {}

function postOnce(
  url: URL,
  payload: Buffer,
  timeoutMs: number,
  deadline: number,
  agents: ReturnType<typeof createOutgoingAgents>,
): Promise<ProviderResponse> {
  const secure = url.protocol === 'https:';
  return new Promise<ProviderResponse>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: { response: ProviderResponse } | { error: Error }): void => {
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
    const request = (secure ? https : http).request(url, {
      method: 'POST',
      agent: secure ? agents.https : agents.http,
      headers: { 'content-type': 'application/json', 'content-length': String(payload.length), 'user-agent': USER_AGENT },
    });
    const timer = setTimeout(() => finish({ error: new RequestTimeoutError(timeoutMs) }), Math.max(0, deadline - Date.now()));

    let answered = false;
    request.on('error', (err: NodeJS.ErrnoException) => {
      const stale = request.reusedSocket && !answered && err.code === 'ECONNRESET';
      finish({ error: stale ? new StaleConnectionError('kept-alive connection closed by the provider', { cause: err }) : asConnectionError(err) });
    });
    request.on('response', (response) => {
      answered = true;
      readBody(response).then(
        (text) => finish({ response: { status: response.statusCode ?? 0, headers: response.headers, json: parseJson(text) } }),
        (err: unknown) => finish({ error: asConnectionError(err) }),
      );
    });
    request.end(payload);
  });
}

function readBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_ANSWER_BYTES) {
        response.destroy();
        resolve('');
        return;
      }
      chunks.push(chunk);
    });
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
    response.on('aborted', () => reject(new ConnectionError('connection closed before the answer ended')));
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function asConnectionError(err: unknown): Error {
  if (err instanceof ConnectionError || err instanceof RequestTimeoutError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new ConnectionError(`connection failed: ${detail}`, { cause: err });
}
