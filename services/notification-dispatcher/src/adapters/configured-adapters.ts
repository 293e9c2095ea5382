import type { Config } from '../config';
import type { Adapters } from './adapters';
import { createApnsAdapter } from './apns.adapter';
import { createDiscordAdapter } from './discord.adapter';
import { createEmailAdapter } from './email.adapter';
import { createPagerDutyAdapter } from './pagerduty.adapter';
import { createSlackAdapter } from './slack.adapter';
import { createTelegramAdapter } from './telegram.adapter';
import { createWebPushAdapter } from './web-push.adapter';

/** The SMTP server of PINGBACK_SMTP_URL: smtp://user:password@host:port, smtps:// for TLS from the first byte. */
function smtpServer(url: string) {
  const parsed = new URL(url);
  const secure = parsed.protocol === 'smtps:';
  return {
    host: parsed.hostname,
    port: Number(parsed.port || (secure ? 465 : 587)),
    secure,
    ...(parsed.username ? { auth: { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) } } : {}),
  };
}

/**
 * One adapter per provider the environment configures. Webhooks, Slack and Discord need nothing from the operator
 * (the URL is the user's); the others need the operator's credentials, and without them their kind is refused.
 */
export function configuredAdapters(config: Config): Adapters {
  const timeoutMs = config.PINGBACK_PROVIDER_TIMEOUT_MS;
  const allowPrivate = config.PINGBACK_ALLOW_PRIVATE_TARGETS;
  const adapters: Adapters = {
    slack: createSlackAdapter({ allowPrivate, timeoutMs }),
    discord: createDiscordAdapter({ allowPrivate, timeoutMs }),
    pagerduty: createPagerDutyAdapter({ apiUrl: config.PINGBACK_PAGERDUTY_URL, timeoutMs }),
  };
  if (config.PINGBACK_APNS_KEY && config.PINGBACK_APNS_KEY_ID && config.PINGBACK_APNS_TEAM_ID && config.PINGBACK_APNS_TOPIC) {
    adapters.apns = createApnsAdapter({
      key: config.PINGBACK_APNS_KEY,
      keyId: config.PINGBACK_APNS_KEY_ID,
      teamId: config.PINGBACK_APNS_TEAM_ID,
      topic: config.PINGBACK_APNS_TOPIC,
      url: config.PINGBACK_APNS_URL,
      ...(config.PINGBACK_APNS_CA ? { ca: config.PINGBACK_APNS_CA } : {}),
      timeoutMs,
    });
  }
  if (config.PINGBACK_SMTP_URL) adapters.email = createEmailAdapter({ ...smtpServer(config.PINGBACK_SMTP_URL), from: config.PINGBACK_EMAIL_FROM, timeoutMs });
  if (config.PINGBACK_TELEGRAM_BOT_TOKEN) adapters.telegram = createTelegramAdapter({ botToken: config.PINGBACK_TELEGRAM_BOT_TOKEN, apiUrl: config.PINGBACK_TELEGRAM_API_URL, timeoutMs });
  if (config.PINGBACK_VAPID_PUBLIC_KEY && config.PINGBACK_VAPID_PRIVATE_KEY) {
    adapters.web_push = createWebPushAdapter({
      vapidPublicKey: config.PINGBACK_VAPID_PUBLIC_KEY,
      vapidPrivateKey: config.PINGBACK_VAPID_PRIVATE_KEY,
      subject: config.PINGBACK_VAPID_SUBJECT,
      allowPrivateTargets: allowPrivate,
      timeoutMs,
    });
  }
  return adapters;
}

export async function closeAdapters(adapters: Adapters): Promise<void> {
  await Promise.allSettled(Object.values(adapters).map((adapter) => adapter?.close()));
}
