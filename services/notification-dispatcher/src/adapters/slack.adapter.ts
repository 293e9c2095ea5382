import { STATUS_CODES } from 'node:http';
import { IncomingWebhook, IncomingWebhookHTTPError, IncomingWebhookRequestError, type FetchFunction } from '@slack/webhook';
import type { DestinationSettings } from '@pingback/contracts';
import { RequestTimeoutError, safePost, UnsafeUrlError, type Resolver, type SafeResponse } from '@pingback/security';
import type { DestinationAdapter, SendResult } from './adapter';
import { createGuardedAgents } from './guarded-agents';
import { slackMessage } from './slack-blocks';

export interface SlackAdapterOptions {
  /** PINGBACK_ALLOW_PRIVATE_TARGETS: lets a webhook URL use http, another port or a private address. */
  allowPrivate: boolean;
  /** Per attempt; default 10 s. */
  timeoutMs?: number;
  /** Resolves webhook host names (default: the system resolver); every address is checked at connect time. */
  resolver?: Resolver;
}

type SlackDestination = DestinationSettings<'slack'>;
type FetchResponse = Awaited<ReturnType<FetchFunction>>;

const DEFAULT_TIMEOUT_MS = 10_000;
/** Slack's answers (as the response body) when the webhook or its channel is gone for good. */
const GONE_ANSWERS = new Set(['no_service', 'channel_not_found', 'invalid_token', 'channel_is_archived', 'team_disabled']);

/**
 * Posts one Block Kit message per delivery to a Slack incoming webhook (a user's URL). @slack/webhook builds and
 * sends the request; its `fetch` is safePost over guarded keep-alive agents, so the URL's literal address is
 * checked before any connection, every resolved address at connect time, and redirects are never followed.
 */
export function createSlackAdapter(options: SlackAdapterOptions): DestinationAdapter<SlackDestination> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { allowPrivate, resolver } = options;
  const agents = createGuardedAgents({ allowPrivate, resolver });

  return {
    kind: 'slack',
    // The path ends in the webhook's secret: only its last four characters are shown.
    recipient: (destination) => `slack webhook …${pathOf(destination.url).slice(-4)}`,

    async send(destination, notification) {
      // The library's HTTP error keeps the status and body but not the headers: Retry-After is read here.
      let answer: SafeResponse | undefined;
      const fetch: FetchFunction = async (url, init) => {
        const body = typeof init?.body === 'string' ? init.body : '';
        answer = await safePost({ url, body, headers: init?.headers, timeoutMs, allowPrivate, lookup: resolver, agents });
        return asFetchResponse(answer, String(url));
      };
      try {
        await new IncomingWebhook(destination.url, { fetch }).send(slackMessage(notification));
        return { kind: 'delivered' };
      } catch (err) {
        return resultOfSlackError(err, answer?.retryAfterMs, timeoutMs);
      }
    },

    async close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

function resultOfSlackError(err: unknown, retryAfterMs: number | undefined, timeoutMs: number): SendResult {
  if (err instanceof IncomingWebhookHTTPError) {
    const status = err.statusCode;
    const said = err.body.trim().slice(0, 200);
    const message = `Slack answered ${status}${said ? `: ${said}` : ''}`;
    if (status === 429) return { kind: 'retry', code: 'RATE_LIMITED', message, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
    if (status >= 500) return { kind: 'retry', code: 'PROVIDER_ERROR', message };
    if (status === 404 || status === 410 || GONE_ANSWERS.has(said)) return { kind: 'failed', code: 'WEBHOOK_GONE', message, deactivate: true };
    if (status < 400) return { kind: 'failed', code: 'UNEXPECTED_STATUS', message };
    return { kind: 'failed', code: 'INVALID_PAYLOAD', message };
  }
  const cause = err instanceof IncomingWebhookRequestError ? err.original : err;
  if (cause instanceof UnsafeUrlError) return { kind: 'failed', code: 'UNSAFE_URL', message: `webhook URL refused: ${cause.message}` };
  if (cause instanceof RequestTimeoutError) {
    return { kind: 'retry', code: 'TIMEOUT', message: `Slack did not respond within ${timeoutMs / 1000} seconds` };
  }
  const detail = cause instanceof Error ? cause.message : String(cause);
  return { kind: 'retry', code: 'CONNECTION_ERROR', message: `Slack could not be reached: ${detail}` };
}

/** The part of fetch's Response that @slack/webhook reads, from safePost's answer. */
function asFetchResponse(answer: SafeResponse, url: string): FetchResponse {
  const headers = Object.entries(answer.headers).map(([name, value]): [string, string] => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')]);
  return {
    ok: answer.status >= 200 && answer.status < 300,
    status: answer.status,
    statusText: STATUS_CODES[answer.status] ?? '',
    url,
    headers: {
      get: (name) => headers.find(([header]) => header === name.toLowerCase())?.[1] ?? null,
      entries: () => headers,
    },
    text: async () => answer.body,
    json: async () => JSON.parse(answer.body) as unknown,
    arrayBuffer: async () => new TextEncoder().encode(answer.body).buffer as ArrayBuffer,
  };
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname.replace(/\/+$/, '');
  } catch {
    return '';
  }
}
