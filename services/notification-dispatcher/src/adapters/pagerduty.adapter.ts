import { z } from 'zod';
import type { DestinationSettings } from '@pingback/contracts';
import { parseRetryAfter } from '@pingback/security';
import type { DestinationAdapter, OutgoingNotification, SendResult } from './adapter';
import { createProviderPost, retryAfterRequestError, type ProviderResponse } from './provider-post';

export interface PagerDutyAdapterOptions {
  /** Default https://events.pagerduty.com; tests point it at the fake. */
  apiUrl?: string;
  /** Per request; default 10 s. */
  timeoutMs?: number;
}

type PagerDutyDestination = DestinationSettings<'pagerduty'>;

const DEFAULT_API_URL = 'https://events.pagerduty.com';
const DEFAULT_TIMEOUT_MS = 10_000;
/** Events API v2 limit on `payload.summary`. */
const MAX_SUMMARY_CHARS = 1024;

const SEVERITY: Record<OutgoingNotification['priority'], 'critical' | 'warning' | 'info'> = {
  high: 'critical',
  normal: 'warning',
  low: 'info',
};

/** `202 {status, message, dedup_key}`, or `400 {status, message, errors}`. */
const EnqueueAnswer = z.object({
  message: z.string().optional(),
  dedup_key: z.string().optional(),
  errors: z.array(z.string()).optional(),
});

/**
 * Triggers a PagerDuty incident per delivery (Events API v2), deduplicated by the delivery id so a repeated
 * attempt never opens a second one; an answer resolves it.
 */
export function createPagerDutyAdapter(options: PagerDutyAdapterOptions = {}): DestinationAdapter<PagerDutyDestination> {
  const client = createProviderPost();
  const enqueueUrl = `${(options.apiUrl ?? DEFAULT_API_URL).replace(/\/+$/, '')}/v2/enqueue`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  return {
    kind: 'pagerduty',
    // The routing key is a secret: only its last four characters are shown.
    recipient: (destination) => `pagerduty …${destination.routing_key.slice(-4)}`,

    async send(destination, notification) {
      let response: ProviderResponse;
      try {
        response = await client.post(enqueueUrl, triggerEvent(destination, notification), timeoutMs);
      } catch (err) {
        return retryAfterRequestError('PagerDuty', err);
      }
      return sendResult(response, notification.deliveryId);
    },

    /** Resolves the incident. Rejects when PagerDuty refuses the event or cannot be reached. */
    async showAnswer(destination, providerRef) {
      const dedupKey = providerRef.dedup_key;
      if (!dedupKey) throw new Error('PagerDuty providerRef has no dedup_key');
      const response = await client.post(enqueueUrl, { routing_key: destination.routing_key, event_action: 'resolve', dedup_key: dedupKey }, timeoutMs);
      if (response.status < 200 || response.status >= 300) {
        throw new Error(`PagerDuty answered ${response.status} to resolve: ${describe(response)}`);
      }
    },

    async close() {
      client.close();
    },
  };
}

function triggerEvent(destination: PagerDutyDestination, notification: OutgoingNotification) {
  return {
    routing_key: destination.routing_key,
    event_action: 'trigger',
    dedup_key: notification.deliveryId,
    payload: {
      summary: cut(notification.title, MAX_SUMMARY_CHARS),
      source: 'pingback',
      severity: SEVERITY[notification.priority],
      custom_details: { body: notification.body, message_id: notification.messageId, data: notification.data },
    },
    links: [{ href: notification.respondUrl, text: 'Answer' }],
    client: 'Pingback',
  };
}

function sendResult(response: ProviderResponse, deliveryId: string): SendResult {
  const { status } = response;
  if (status >= 200 && status < 300) {
    return { kind: 'delivered', providerRef: { dedup_key: EnqueueAnswer.safeParse(response.json).data?.dedup_key ?? deliveryId } };
  }
  const detail = describe(response);
  if (status === 400) return { kind: 'failed', code: 'INVALID_EVENT', message: `PagerDuty refused the event: ${detail}` };
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
    return { kind: 'retry', code: 'RATE_LIMITED', message: `PagerDuty: ${detail}`, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
  if (status >= 400 && status < 500) return { kind: 'failed', code: 'PROVIDER_REJECTED', message: `PagerDuty answered ${status}: ${detail}` };
  if (status >= 500) return { kind: 'retry', code: 'PROVIDER_ERROR', message: `PagerDuty answered ${status}: ${detail}` };
  return { kind: 'retry', code: 'UNEXPECTED_ANSWER', message: `PagerDuty answered ${status}: ${detail}` };
}

/** PagerDuty's own words: its message and the errors it listed. */
function describe(response: ProviderResponse): string {
  const answer = EnqueueAnswer.safeParse(response.json).data;
  const said = [answer?.message, ...(answer?.errors ?? [])].filter(Boolean).join('; ');
  return said || `HTTP ${response.status}`;
}

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(kept)) kept = kept.slice(0, -1);
  return `${kept}…`;
}
