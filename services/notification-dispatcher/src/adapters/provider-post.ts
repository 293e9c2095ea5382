import type { IncomingHttpHeaders } from 'node:http';
import { createOutgoingAgents, RequestTimeoutError, safePost } from '@pingback/security';
import type { SendResult } from './adapter';

export interface ProviderResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The parsed body; undefined when it is not JSON. */
  json: unknown;
}

/**
 * JSON POSTs to an operator-set provider base URL (Telegram, PagerDuty), over kept-alive connections of the
 * adapter's own (so `close()` ends exactly its connections). The base URL is trusted configuration (CONTRACT §6):
 * it may be any address, a test's loopback fake included.
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
      const response = await safePost({
        url,
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json', 'user-agent': 'Pingback/1' },
        timeoutMs,
        allowPrivate: true,
        agents,
      });
      return { status: response.status, headers: response.headers, json: parseJson(response.bodyTruncated ? '' : response.body) };
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

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
