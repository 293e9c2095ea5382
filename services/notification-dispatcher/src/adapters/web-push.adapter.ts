import type { DestinationSettings } from '@pingback/contracts';
import {
  ConnectionError,
  createOutgoingAgents,
  RequestTimeoutError,
  safePost,
  UnsafeUrlError,
  type Resolver,
  type SafeResponse,
} from '@pingback/security';
import { generateRequestDetails, getVapidHeaders, type RequestDetails, type Urgency } from 'web-push';
import type { DestinationAdapter, OutgoingNotification, SendResult } from './adapter';
import { actionLinks, answerUrlOf, fitPayload } from './action-links';

const DEFAULT_TIMEOUT_MS = 10_000;
/**
 * Push services refuse a body over 4096 bytes; aes128gcm adds 103 (86 of header: salt, record size, the sender's
 * key; a delimiter byte and a 16-byte tag), which leaves this much for the JSON.
 */
const MAX_PLAINTEXT_BYTES = 4096 - 103;

export interface WebPushAdapterOptions {
  /** The VAPID application server key pair (base64url, as `web-push generate-vapid-keys` prints them). */
  vapidPublicKey: string;
  vapidPrivateKey: string;
  /** Who push services may contact about these pushes: `mailto:` or an `https:` URL. */
  subject: string;
  /** Time limit of one attempt. Default 10 s. */
  timeoutMs?: number;
  /** Lets a subscription endpoint use http, another port or a private address (development and tests). Default false. */
  allowPrivateTargets?: boolean;
  /** Resolves endpoint host names (default: the system resolver); every address is checked at connect time. */
  resolver?: Resolver;
  now?: () => number;
}

type WebPushSettings = DestinationSettings<'web_push'>;

const URGENCY: Record<OutgoingNotification['priority'], Urgency> = { high: 'high', normal: 'normal', low: 'low' };

/** One link a service worker shows under the notification: a button's answer, or "Answer" for select and text actions. */
interface PushAction {
  key?: string;
  label: string;
  url: string;
}

/**
 * Web push (RFC 8030) with VAPID, the payload encrypted with aes128gcm (RFC 8291). The endpoint is the user's
 * URL, so the request goes through safePost: every resolved address is checked and redirects are not followed.
 */
export function createWebPushAdapter(options: WebPushAdapterOptions): DestinationAdapter<WebPushSettings> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const now = options.now ?? Date.now;
  const vapidDetails = { subject: options.subject, publicKey: options.vapidPublicKey, privateKey: options.vapidPrivateKey };
  // Throws now, at start, when the keys or the subject are malformed, instead of failing every send.
  getVapidHeaders('https://push.example', vapidDetails.subject, vapidDetails.publicKey, vapidDetails.privateKey, 'aes128gcm');
  const agents = createOutgoingAgents();

  return {
    kind: 'web_push',
    recipient: (destination) => originOf(destination.subscription.endpoint),
    async send(destination, notification) {
      let request: RequestDetails;
      try {
        request = generateRequestDetails(destination.subscription, JSON.stringify(payloadWithin(MAX_PLAINTEXT_BYTES, notification)), {
          vapidDetails,
          contentEncoding: 'aes128gcm',
          TTL: Math.max(0, Math.floor((Date.parse(notification.expiresAt) - now()) / 1000)),
          urgency: URGENCY[notification.priority],
        });
      } catch (err) {
        // The subscription's keys are not a usable P-256 key and auth secret: no send to it can ever work.
        const detail = err instanceof Error ? err.message : String(err);
        return { kind: 'failed', code: 'INVALID_SUBSCRIPTION', message: `The subscription cannot be encrypted to: ${detail}`, deactivate: true };
      }
      try {
        const response = await safePost({
          url: request.endpoint,
          body: request.body ?? Buffer.alloc(0),
          headers: headersOf(request),
          timeoutMs,
          allowPrivate: options.allowPrivateTargets ?? false,
          agents,
          ...(options.resolver ? { lookup: options.resolver } : {}),
        });
        return resultOfResponse(response);
      } catch (err) {
        return resultOfRequestError(err, timeoutMs);
      }
    },
    async close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

/** The JSON the service worker gets, its body (then its title) cut short with "…" when it would not fit one push. */
function payloadWithin(maxBytes: number, notification: OutgoingNotification): Record<string, unknown> {
  const answerUrl = answerUrlOf(notification);
  const actions: PushAction[] = [
    ...actionLinks(notification).map(({ key, label, url }) => ({ key, label, url })),
    ...(answerUrl ? [{ label: 'Answer', url: answerUrl }] : []),
  ];
  const build = (title: string, body: string | null) => ({
    title,
    body,
    message_id: notification.messageId,
    delivery_id: notification.deliveryId,
    respond_url: notification.respondUrl,
    actions,
  });
  return fitPayload(maxBytes, notification, build);
}

/** web-push's headers as strings; safePost computes Content-Length itself. */
function headersOf(request: RequestDetails): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (name.toLowerCase() !== 'content-length' && value !== undefined) headers[name] = String(value);
  }
  return headers;
}

function resultOfResponse(response: SafeResponse): SendResult {
  const { status, retryAfterMs } = response;
  const answered = `The push service answered ${status}`;
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  if (status === 404 || status === 410) return { kind: 'failed', code: 'SUBSCRIPTION_GONE', message: `${answered}: the subscription is gone`, deactivate: true };
  if (status === 401 || status === 403) return { kind: 'failed', code: 'AUTH_REJECTED', message: `${answered}: it refused the VAPID credentials` };
  if (status === 413) return { kind: 'failed', code: 'PAYLOAD_TOO_LARGE', message: answered };
  const wait = retryAfterMs === undefined ? {} : { retryAfterMs };
  if (status === 429) return { kind: 'retry', code: 'RATE_LIMITED', message: answered, ...wait };
  if (status >= 500) return { kind: 'retry', code: 'PROVIDER_ERROR', message: answered, ...wait };
  return { kind: 'failed', code: 'PROVIDER_REJECTED', message: answered };
}

function resultOfRequestError(err: unknown, timeoutMs: number): SendResult {
  if (err instanceof RequestTimeoutError) {
    return { kind: 'retry', code: 'TIMEOUT', message: `The push service did not respond within ${timeoutMs / 1000} seconds` };
  }
  if (err instanceof UnsafeUrlError) return { kind: 'failed', code: 'UNSAFE_URL', message: `The subscription endpoint is not allowed: ${err.message}` };
  if (err instanceof ConnectionError) return { kind: 'retry', code: 'CONNECTION_ERROR', message: `The push service could not be reached: ${err.message}` };
  throw err;
}

function originOf(endpoint: string): string {
  try {
    return new URL(endpoint).origin;
  } catch {
    return '(not a URL)';
  }
}
