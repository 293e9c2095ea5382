import type { CarriedAction } from '@pingback/contracts';

/** What every destination kind is told to deliver: one message, through one delivery with its own respond link. */
export interface OutgoingNotification {
  messageId: string;
  deliveryId: string;
  channelId: string;
  title: string;
  body: string | null;
  priority: 'low' | 'normal' | 'high';
  actions: CarriedAction[];
  data: Record<string, unknown> | null;
  /** This delivery's respond page; a button links to it with `?action=<key>` (the page asks before answering). */
  respondUrl: string;
  /** RFC 3339 with Z. */
  expiresAt: string;
  /** 1 on the first attempt. */
  attempt: number;
}

/** What the provider said, mapped to what the dispatcher does next. Adapters never throw for a provider's answer. */
export type SendResult =
  /** `providerRef` is what a later `showAnswer` needs (Telegram chat and message id, PagerDuty dedup key). */
  | { kind: 'delivered'; providerRef?: Record<string, string> }
  /** Try again on the provider schedule (1 min, 4 min), no sooner than `retryAfterMs` when the provider said so. */
  | { kind: 'retry'; code: string; message: string; retryAfterMs?: number }
  /**
   * Never try this delivery again. `bounced`: the provider refused the address (SMTP 5xx): seed 003's
   * `notification.bounced`. `deactivate`: the address is gone for good (APNs 410 Unregistered, web push 404/410):
   * the destination is switched off so later sends skip it.
   */
  | { kind: 'failed'; code: string; message: string; bounced?: boolean; deactivate?: boolean };

/** The first answer to a message, for deliveries that show it where they were delivered. */
export interface ShownAnswer {
  triggeredBy: string;
  responses: Record<string, unknown>;
  answeredAt: string;
}

/**
 * One destination kind. `D` is the destination's stored settings (what `POST /api/channels/{id}/destinations`
 * took, secrets decrypted). Error codes are UPPER_SNAKE like seed 003's (`RECIPIENT_REJECTED`, `TIMEOUT`).
 */
export interface DestinationAdapter<D> {
  readonly kind: string;
  /** Seed 003's `recipient`: who this destination reaches, safe to show (no secret). */
  recipient(destination: D): string;
  send(destination: D, notification: OutgoingNotification): Promise<SendResult>;
  /** After the message was answered: show the answer where it was delivered (edit, resolve). Best effort. */
  showAnswer?(destination: D, providerRef: Record<string, string>, answer: ShownAnswer): Promise<void>;
  /** Closes pooled connections. */
  close(): Promise<void>;
}
