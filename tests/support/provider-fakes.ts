import { createECDH, randomBytes } from 'node:crypto';
import {
  startApnsFake,
  startDiscordFake,
  startPagerDutyFake,
  startSlackFake,
  startSmtpFake,
  startTelegramFake,
  startWebPushFake,
  type ApnsFake,
  type DiscordFake,
  type PagerDutyFake,
  type SlackFake,
  type SmtpFake,
  type TelegramFake,
  type WebPushFake,
} from '@pingback/testing';

export interface ProviderFakes {
  apns: ApnsFake;
  smtp: SmtpFake;
  slack: SlackFake;
  discord: DiscordFake;
  telegram: TelegramFake;
  pagerduty: PagerDutyFake;
  webPush: WebPushFake;
  vapidPublicKey: string;
  telegramWebhookSecret: string;
  /** The environment that points every service at these fakes, as an operator's would point them at the providers. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** A VAPID key pair as web-push's generateVAPIDKeys makes it: P-256, base64url, public key uncompressed. */
function vapidKeys() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { publicKey: ecdh.getPublicKey().toString('base64url'), privateKey: ecdh.getPrivateKey().toString('base64url') };
}

/** Every provider, as a local server that speaks its protocol (libs/testing/src/fakes). */
export async function startProviderFakes(mailboxes: string[]): Promise<ProviderFakes> {
  const [apns, smtp, slack, discord, telegram, pagerduty, webPush] = await Promise.all([
    startApnsFake({ topic: 'com.example.ops' }),
    startSmtpFake({ mailboxes }),
    startSlackFake(),
    startDiscordFake(),
    startTelegramFake(),
    startPagerDutyFake(),
    startWebPushFake(),
  ]);
  const vapid = vapidKeys();
  const telegramWebhookSecret = randomBytes(24).toString('base64url');
  return {
    apns,
    smtp,
    slack,
    discord,
    telegram,
    pagerduty,
    webPush,
    vapidPublicKey: vapid.publicKey,
    telegramWebhookSecret,
    env: {
      PINGBACK_APNS_KEY: apns.signingKey,
      PINGBACK_APNS_KEY_ID: apns.keyId,
      PINGBACK_APNS_TEAM_ID: apns.teamId,
      PINGBACK_APNS_TOPIC: apns.topic,
      PINGBACK_APNS_URL: apns.url,
      PINGBACK_APNS_CA: apns.ca,
      PINGBACK_SMTP_URL: smtp.url,
      PINGBACK_EMAIL_FROM: 'Pingback <pingback@example.test>',
      PINGBACK_TELEGRAM_BOT_TOKEN: telegram.botToken,
      PINGBACK_TELEGRAM_API_URL: telegram.url,
      PINGBACK_TELEGRAM_WEBHOOK_SECRET: telegramWebhookSecret,
      PINGBACK_PAGERDUTY_URL: pagerduty.url,
      PINGBACK_VAPID_PUBLIC_KEY: vapid.publicKey,
      PINGBACK_VAPID_PRIVATE_KEY: vapid.privateKey,
      PINGBACK_VAPID_SUBJECT: 'mailto:ops@example.test',
    },
    async close() {
      await Promise.allSettled([apns, smtp, slack, discord, telegram, pagerduty, webPush].map((fake) => fake.close()));
    },
  };
}
