import { z } from 'zod';
import { plainText } from './text';

const url = () => plainText().min(1).max(2048);

/**
 * Every destination kind a channel can deliver to, as `POST /api/channels/{id}/destinations` takes it. The web
 * inbox is not here: every channel has it. URLs a user gives (webhook, Slack, Discord, a web-push endpoint) pass
 * the SSRF rules when registered and again at every connection (CONTRACT §6).
 */
export const WebhookDestinationInput = z.object({ type: z.literal('webhook'), url: url() });
export const SlackDestinationInput = z.object({ type: z.literal('slack'), url: url() });
export const DiscordDestinationInput = z.object({ type: z.literal('discord'), url: url() });
export const EmailDestinationInput = z.object({ type: z.literal('email'), address: z.email().max(254) });
export const ApnsDestinationInput = z.object({
  type: z.literal('apns'),
  /** The device token as the app got it from APNs, in hex. */
  device_token: z.string().regex(/^[0-9a-fA-F]{64,200}$/, 'must be the device token in hex (64 to 200 characters)'),
});
export const TelegramDestinationInput = z.object({
  type: z.literal('telegram'),
  /** A chat id (a number, negative for groups) or a public channel's @username; the operator's bot posts there. */
  chat_id: z.union([z.number().int().safe(), z.string().regex(/^(-?\d{1,20}|@[A-Za-z0-9_]{5,32})$/, 'must be a chat id or an @username')]).transform(String),
});
export const PagerDutyDestinationInput = z.object({
  type: z.literal('pagerduty'),
  /** An Events API v2 integration key: a secret, stored encrypted and shown only by its last four characters. */
  routing_key: z.string().regex(/^[A-Za-z0-9]{32}$/, 'must be a 32-character Events API v2 integration key'),
});
export const WebPushDestinationInput = z.object({
  type: z.literal('web_push'),
  /** The browser's PushSubscription as `JSON.stringify(subscription)` writes it. */
  subscription: z.object({
    endpoint: url(),
    keys: z.object({
      p256dh: z.string().regex(/^[A-Za-z0-9_-]{80,100}={0,2}$/, 'must be the base64url P-256 public key of the subscription'),
      auth: z.string().regex(/^[A-Za-z0-9_-]{16,24}={0,2}$/, 'must be the base64url auth secret of the subscription'),
    }),
  }),
});

export const DestinationInput = z.discriminatedUnion('type', [
  WebhookDestinationInput,
  SlackDestinationInput,
  DiscordDestinationInput,
  EmailDestinationInput,
  ApnsDestinationInput,
  TelegramDestinationInput,
  PagerDutyDestinationInput,
  WebPushDestinationInput,
]);
export type DestinationInput = z.infer<typeof DestinationInput>;
export type DestinationKind = DestinationInput['type'];
export const DESTINATION_KINDS = DestinationInput.options.map((option) => option.shape.type.value) as DestinationKind[];

/** What each kind's adapter is given: its input without `type`, secrets decrypted. */
export type DestinationSettings<K extends DestinationKind> = Omit<Extract<DestinationInput, { type: K }>, 'type'>;
