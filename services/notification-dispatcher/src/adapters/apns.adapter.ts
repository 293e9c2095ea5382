import { Notification, Provider, type ProviderOptions, type ResponseFailure } from '@parse/node-apn';
import type { DestinationSettings } from '@pingback/contracts';
import type { DestinationAdapter, OutgoingNotification, SendResult } from './adapter';
import { actionLinks, answerUrlOf, fitPayload } from './action-links';

export const APNS_PRODUCTION_URL = 'https://api.push.apple.com';
/** The category the Pingback app registers its action buttons under. */
export const APNS_CATEGORY = 'PINGBACK_ACTIONS';
/** APNs refuses an alert payload over 4 KB. */
const MAX_PAYLOAD_BYTES = 4096;
const DEFAULT_TIMEOUT_MS = 10_000;

export interface ApnsAdapterOptions {
  /** The `.p8` token signing key Apple issued, as PEM. */
  key: string;
  /** The signing key's id (the provider token's `kid`). */
  keyId: string;
  /** The Apple developer team id (the provider token's `iss`). */
  teamId: string;
  /** The app's bundle id, sent as `apns-topic`. */
  topic: string;
  /** Provider API base URL. Default the production https://api.push.apple.com (sandbox: https://api.sandbox.push.apple.com). */
  url?: string;
  /** A PEM certificate to trust instead of the system's roots (tests trust their fake with it). */
  ca?: string;
  /** Time limit of one attempt. Default 10 s. */
  timeoutMs?: number;
}

type ApnsSettings = DestinationSettings<'apns'>;

/** One link an app shows under the notification: a button's answer, or "Answer" for select and text actions. */
interface PushAction {
  key?: string;
  label: string;
  url: string;
}

/**
 * Apple Push Notification service with token (JWT) authentication, over one pooled HTTP/2 connection. The app
 * shows the notification's buttons from the `PINGBACK_ACTIONS` category and the payload's `actions`.
 */
export function createApnsAdapter(options: ApnsAdapterOptions): DestinationAdapter<ApnsSettings> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const provider = new Provider(providerOptions(options, timeoutMs));

  return {
    kind: 'apns',
    recipient: (destination) => `${destination.device_token.slice(0, 8)}…`,
    async send(destination, notification) {
      const sending = provider.send(apnsNotification(notification, options.topic), destination.device_token);
      const outcome = await withinTimeLimit(sending, timeoutMs);
      if (outcome === 'timed out') return timedOut(timeoutMs);
      const [sent] = outcome.sent;
      if (sent) {
        const apnsId = (sent as { 'apns-id'?: string })['apns-id'];
        return apnsId ? { kind: 'delivered', providerRef: { apns_id: apnsId } } : { kind: 'delivered' };
      }
      return resultOfFailure(outcome.failed[0], timeoutMs);
    },
    close: () => new Promise<void>((resolve) => void provider.shutdown(resolve)),
  };
}

function providerOptions(options: ApnsAdapterOptions, timeoutMs: number): ProviderOptions {
  const url = new URL(options.url ?? APNS_PRODUCTION_URL);
  return {
    token: { key: options.key, keyId: options.keyId, teamId: options.teamId },
    address: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : 443,
    ...(options.ca ? { ca: [options.ca] } : {}),
    requestTimeout: timeoutMs,
    // The dispatcher owns retries (1 min, 4 min); node-apn's own would resend at once, ignoring Retry-After.
    connectionRetryLimit: 0,
  };
}

function apnsNotification(notification: OutgoingNotification, topic: string): Notification {
  const apns = new Notification();
  apns.topic = topic;
  apns.pushType = 'alert';
  apns.priority = notification.priority === 'low' ? 5 : 10;
  apns.expiry = Math.max(0, Math.floor(Date.parse(notification.expiresAt) / 1000));
  apns.rawPayload = payloadWithin(MAX_PAYLOAD_BYTES, notification);
  return apns;
}

/** The payload, its body (then its title) cut short with "…" when the whole would pass APNs' size limit. */
function payloadWithin(maxBytes: number, notification: OutgoingNotification): Record<string, unknown> {
  const answerUrl = answerUrlOf(notification);
  const actions: PushAction[] = [
    ...actionLinks(notification).map(({ key, label, url }) => ({ key, label, url })),
    ...(answerUrl ? [{ label: 'Answer', url: answerUrl }] : []),
  ];
  const build = (title: string, body: string | null) => apnsPayload(notification, title, body, actions);
  return fitPayload(maxBytes, notification, build);
}

function apnsPayload(notification: OutgoingNotification, title: string, body: string | null, actions: PushAction[]): Record<string, unknown> {
  return {
    aps: { alert: body === null ? { title } : { title, body }, category: APNS_CATEGORY },
    message_id: notification.messageId,
    delivery_id: notification.deliveryId,
    respond_url: notification.respondUrl,
    actions,
  };
}

function resultOfFailure(failure: ResponseFailure | undefined, timeoutMs: number): SendResult {
  const status = failure?.status;
  const reason = failure?.response?.reason ?? failure?.error?.message ?? 'no reason given';
  if (status === undefined) {
    if (/timeout/i.test(reason)) return timedOut(timeoutMs);
    return { kind: 'retry', code: 'CONNECTION_ERROR', message: `APNs could not be reached: ${reason}` };
  }
  const answered = `APNs answered ${status} ${reason}`;
  if (status === 410) return { kind: 'failed', code: 'UNREGISTERED', message: answered, deactivate: true };
  if (status === 400 && reason === 'BadDeviceToken') return { kind: 'failed', code: 'BAD_DEVICE_TOKEN', message: answered, deactivate: true };
  // node-apn has already made a new token; the next attempt carries it.
  if (status === 403 && reason === 'ExpiredProviderToken') return { kind: 'retry', code: 'PROVIDER_TOKEN_EXPIRED', message: answered };
  if (status === 403) return { kind: 'failed', code: 'AUTH_REJECTED', message: answered };
  if (status === 413) return { kind: 'failed', code: 'PAYLOAD_TOO_LARGE', message: answered };
  if (status === 429) return { kind: 'retry', code: 'RATE_LIMITED', message: answered };
  if (status >= 500) return { kind: 'retry', code: 'PROVIDER_ERROR', message: answered };
  return { kind: 'failed', code: 'PROVIDER_REJECTED', message: answered };
}

function timedOut(timeoutMs: number): SendResult {
  return { kind: 'retry', code: 'TIMEOUT', message: `APNs did not respond within ${timeoutMs / 1000} seconds` };
}

/** node-apn times a request once it is written; this also bounds a connection that never opens. */
function withinTimeLimit<T>(work: Promise<T>, timeoutMs: number): Promise<T | 'timed out'> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timed out'>((resolve) => {
    timer = setTimeout(() => resolve('timed out'), timeoutMs);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
