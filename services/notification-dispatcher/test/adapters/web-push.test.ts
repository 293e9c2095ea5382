import { generateVAPIDKeys } from 'web-push';
import { startWebPushFake, type PushSubscriptionJson, type WebPushFake } from '@pingback/testing';
import type { DestinationAdapter, OutgoingNotification } from '../../src/adapters/adapter';
import { sampleNotification } from './support/sample-notification';
import { APPROVE_URL, DENY_URL, decisionButtons } from './support/decision-buttons';
import { createWebPushAdapter, type WebPushAdapterOptions } from '../../src/adapters/web-push.adapter';

const NOW = Date.parse('2030-01-01T00:00:00Z');
const vapid = generateVAPIDKeys();

function notification(overrides: Partial<OutgoingNotification> = {}): OutgoingNotification {
  return sampleNotification({
    messageId: 'msg_1',
    deliveryId: 'dlv_1',
    channelId: 'ch_1',
    title: 'Deploy to production?',
    body: 'Build 42 passed all checks.',
    actions: [
      { type: 'button', key: 'approve', label: 'Approve' },
      { type: 'select', key: 'env', label: 'Where?', options: [{ label: 'EU', value: 'eu' }] },
    ],
    respondUrl: 'https://pingback.example/r/dlv_1',
    expiresAt: '2030-01-01T01:00:00Z',
    ...overrides,
  });
}

describe('web push adapter against a local push service', () => {
  let fake: WebPushFake;
  let subscription: PushSubscriptionJson;
  const adapters: DestinationAdapter<{ subscription: { endpoint: string; keys: { p256dh: string; auth: string } } }>[] = [];
  const adapter = (overrides: Partial<WebPushAdapterOptions> = {}) => {
    const created = createWebPushAdapter({
      vapidPublicKey: vapid.publicKey,
      vapidPrivateKey: vapid.privateKey,
      subject: 'mailto:ops@pingback.example',
      allowPrivateTargets: true,
      now: () => NOW,
      ...overrides,
    });
    adapters.push(created);
    return created;
  };

  beforeEach(async () => {
    fake = await startWebPushFake();
    subscription = fake.subscribe(vapid.publicKey);
  });
  afterEach(async () => {
    await Promise.all(adapters.splice(0).map((created) => created.close()));
    await fake.close();
  });

  test('when the push service accepts the push, then the browser decrypts the message with its respond links', async () => {
    const result = await adapter().send({ subscription }, notification());

    expect(result).toEqual({ kind: 'delivered' });
    expect(fake.received).toHaveLength(1);
    const [push] = fake.received;
    expect(push?.ttl).toBe(3600);
    expect(push?.urgency).toBe('high');
    expect(push?.payload).toEqual({
      title: 'Deploy to production?',
      body: 'Build 42 passed all checks.',
      message_id: 'msg_1',
      delivery_id: 'dlv_1',
      respond_url: 'https://pingback.example/r/dlv_1',
      actions: [
        { key: 'approve', label: 'Approve', url: 'https://pingback.example/r/dlv_1?action=approve' },
        { label: 'Answer', url: 'https://pingback.example/r/dlv_1' },
      ],
    });
  });

  test('when buttons carry their own links, then the browser is given those links and the respond link for the others', async () => {
    const result = await adapter().send({ subscription }, notification({ actions: decisionButtons() }));

    expect(result).toEqual({ kind: 'delivered' });
    expect((fake.received[0]?.payload as { actions: unknown }).actions).toEqual([
      { key: 'approve', label: 'Approve', url: APPROVE_URL },
      { key: 'deny', label: 'Deny', url: DENY_URL },
      { key: 'snooze', label: 'Snooze', url: 'https://pingback.example/r/dlv_1?action=snooze' },
    ]);
  });

  test('when the body would not fit one push, then it is cut short with an ellipsis and still delivered', async () => {
    const result = await adapter().send({ subscription }, notification({ priority: 'low', body: 'x'.repeat(10_000) }));

    expect(result.kind).toBe('delivered');
    const [push] = fake.received;
    expect(push?.urgency).toBe('low');
    expect((push?.payload as { body: string }).body).toMatch(/^x+…$/);
  });

  test('when the user unsubscribed, then the push service answers 410 and the destination is switched off', async () => {
    fake.unsubscribe(subscription);

    const result = await adapter().send({ subscription }, notification());

    expect(result).toMatchObject({ kind: 'failed', code: 'SUBSCRIPTION_GONE', deactivate: true });
    expect(fake.received).toHaveLength(0);
  });

  test('when the VAPID key is not the one the browser subscribed with, then the push service refuses it and the send fails', async () => {
    const other = generateVAPIDKeys();

    const result = await adapter({ vapidPublicKey: other.publicKey, vapidPrivateKey: other.privateKey }).send({ subscription }, notification());

    expect(result).toMatchObject({ kind: 'failed', code: 'AUTH_REJECTED', message: expect.stringContaining('403') });
    expect(result).not.toHaveProperty('deactivate');
    expect(fake.received).toHaveLength(0);
  });

  test('when the VAPID token is not signed by the key it names, then the push service refuses it and the send fails', async () => {
    const other = generateVAPIDKeys();

    const result = await adapter({ vapidPrivateKey: other.privateKey }).send({ subscription }, notification());

    expect(result).toMatchObject({ kind: 'failed', code: 'AUTH_REJECTED', message: expect.stringContaining('401') });
    expect(fake.received).toHaveLength(0);
  });

  test('when the push service answers 429 with Retry-After, then the send is retried no sooner than it asked', async () => {
    fake.rateLimit(subscription, 120);

    const result = await adapter().send({ subscription }, notification());

    expect(result).toMatchObject({ kind: 'retry', code: 'RATE_LIMITED', retryAfterMs: 120_000 });
  });

  test('when the push service answers 500, then the send is retried later', async () => {
    fake.failWithServerError(subscription);

    await expect(adapter().send({ subscription }, notification())).resolves.toMatchObject({ kind: 'retry', code: 'PROVIDER_ERROR' });
  });

  test('when private targets are not allowed, then a loopback endpoint is refused without a request', async () => {
    const result = await adapter({ allowPrivateTargets: false }).send({ subscription }, notification());

    expect(result).toMatchObject({ kind: 'failed', code: 'UNSAFE_URL' });
    expect(fake.received).toHaveLength(0);
  });

  test('when the recipient is shown, then it is the push service origin', () => {
    expect(adapter().recipient({ subscription })).toBe(fake.url);
  });
});
