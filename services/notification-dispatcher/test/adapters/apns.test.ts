import { generateKeyPairSync } from 'node:crypto';
import { startApnsFake, type ApnsFake } from '@pingback/testing';
import type { DestinationAdapter, OutgoingNotification } from '../../src/adapters/adapter';
import { sampleNotification } from './support/sample-notification';
import { APPROVE_URL, DENY_URL, decisionButtons } from './support/decision-buttons';
import { createApnsAdapter, type ApnsAdapterOptions } from '../../src/adapters/apns.adapter';

const DEVICE = 'a1b2c3d4'.repeat(8);
const EXPIRES_AT = '2030-01-02T03:04:05Z';

function notification(overrides: Partial<OutgoingNotification> = {}): OutgoingNotification {
  return sampleNotification({
    messageId: 'msg_1',
    deliveryId: 'dlv_1',
    channelId: 'ch_1',
    title: 'Deploy to production?',
    body: 'Build 42 passed all checks.',
    actions: [
      { type: 'button', key: 'approve', label: 'Approve', style: 'primary' },
      { type: 'button', key: 'deny & stop', label: 'Deny' },
    ],
    respondUrl: 'https://pingback.example/r/dlv_1',
    expiresAt: EXPIRES_AT,
    ...overrides,
  });
}

describe('APNs adapter against a local APNs provider API', () => {
  let fake: ApnsFake;
  const adapters: DestinationAdapter<{ device_token: string }>[] = [];
  const adapter = (overrides: Partial<ApnsAdapterOptions> = {}) => {
    const created = createApnsAdapter({ key: fake.signingKey, keyId: fake.keyId, teamId: fake.teamId, topic: fake.topic, url: fake.url, ca: fake.ca, ...overrides });
    adapters.push(created);
    return created;
  };

  beforeEach(async () => {
    fake = await startApnsFake();
  });
  afterEach(async () => {
    await Promise.all(adapters.splice(0).map((created) => created.close()));
    await fake.close();
  });

  test('when APNs accepts the push, then it is delivered as an alert with the actions category and the respond links', async () => {
    const result = await adapter().send({ device_token: DEVICE }, notification());

    expect(result).toEqual({ kind: 'delivered', providerRef: { apns_id: expect.any(String) } });
    expect(fake.pushes).toHaveLength(1);
    const [push] = fake.pushes;
    expect(push?.deviceToken).toBe(DEVICE);
    expect(push?.headers).toMatchObject({
      'apns-topic': fake.topic,
      'apns-push-type': 'alert',
      'apns-priority': '10',
      'apns-expiration': String(Date.parse(EXPIRES_AT) / 1000),
    });
    expect(push?.payload).toEqual({
      aps: { alert: { title: 'Deploy to production?', body: 'Build 42 passed all checks.' }, category: 'PINGBACK_ACTIONS' },
      message_id: 'msg_1',
      delivery_id: 'dlv_1',
      respond_url: 'https://pingback.example/r/dlv_1',
      actions: [
        { key: 'approve', label: 'Approve', url: 'https://pingback.example/r/dlv_1?action=approve' },
        { key: 'deny & stop', label: 'Deny', url: 'https://pingback.example/r/dlv_1?action=deny%20%26%20stop' },
      ],
    });
  });

  test('when buttons carry their own links, then the app is given those links and the respond link for the others', async () => {
    await expect(adapter().send({ device_token: DEVICE }, notification({ actions: decisionButtons() }))).resolves.toMatchObject({ kind: 'delivered' });

    expect(fake.pushes[0]?.payload.actions).toEqual([
      { key: 'approve', label: 'Approve', url: APPROVE_URL },
      { key: 'deny', label: 'Deny', url: DENY_URL },
      { key: 'snooze', label: 'Snooze', url: 'https://pingback.example/r/dlv_1?action=snooze' },
    ]);
  });

  test('when the message is low priority and asks a question, then APNs gets priority 5 and an Answer link', async () => {
    const question = notification({ priority: 'low', actions: [{ type: 'text', key: 'reason', label: 'Why?' }] });

    await expect(adapter().send({ device_token: DEVICE }, question)).resolves.toMatchObject({ kind: 'delivered' });

    expect(fake.pushes[0]?.headers['apns-priority']).toBe('5');
    expect(fake.pushes[0]?.payload.actions).toEqual([{ label: 'Answer', url: 'https://pingback.example/r/dlv_1' }]);
  });

  test('when the body would pass 4 KB, then it is cut short with an ellipsis and APNs accepts it', async () => {
    const result = await adapter().send({ device_token: DEVICE }, notification({ body: 'é'.repeat(5000) }));

    expect(result.kind).toBe('delivered');
    const [push] = fake.pushes;
    expect(push?.payloadBytes).toBeLessThanOrEqual(4096);
    expect(push?.payloadBytes).toBeGreaterThan(4000);
    const body = (push?.payload.aps as { alert: { body: string } }).alert.body;
    expect(body).toMatch(/^é+…$/);
  });

  test('when the device token is unregistered, then the send fails for good and the destination is switched off', async () => {
    fake.unregister(DEVICE);

    const result = await adapter().send({ device_token: DEVICE }, notification());

    expect(result).toMatchObject({ kind: 'failed', code: 'UNREGISTERED', deactivate: true });
    expect(fake.pushes).toHaveLength(0);
  });

  test('when the device token is not hex, then APNs answers BadDeviceToken and the destination is switched off', async () => {
    const result = await adapter().send({ device_token: 'not-a-device-token' }, notification());

    expect(result).toMatchObject({ kind: 'failed', code: 'BAD_DEVICE_TOKEN', deactivate: true });
  });

  test('when the provider token is signed with another key, then APNs answers 403 and the send fails as AUTH_REJECTED', async () => {
    const otherKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

    const result = await adapter({ key: otherKey }).send({ device_token: DEVICE }, notification());

    expect(result).toMatchObject({ kind: 'failed', code: 'AUTH_REJECTED', message: expect.stringContaining('InvalidProviderToken') });
    expect(result).not.toHaveProperty('deactivate');
    expect(fake.pushes).toHaveLength(0);
  });

  test('when APNs answers 429, then the send is retried later', async () => {
    fake.rateLimit(DEVICE);

    const result = await adapter().send({ device_token: DEVICE }, notification());

    expect(result).toMatchObject({ kind: 'retry', code: 'RATE_LIMITED' });
  });

  test('when APNs answers 500, then the send is retried later', async () => {
    fake.failWithServerError(DEVICE);

    await expect(adapter().send({ device_token: DEVICE }, notification())).resolves.toMatchObject({ kind: 'retry', code: 'PROVIDER_ERROR' });
  });

  test('when APNs does not answer within the time limit, then the send is retried as a TIMEOUT', async () => {
    fake.hang(DEVICE);
    const started = Date.now();

    const result = await adapter({ timeoutMs: 500 }).send({ device_token: DEVICE }, notification());

    expect(result).toEqual({ kind: 'retry', code: 'TIMEOUT', message: 'APNs did not respond within 0.5 seconds' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  test('when the recipient is shown, then it is the first 8 hex digits of the device token', () => {
    expect(adapter().recipient({ device_token: DEVICE })).toBe('a1b2c3d4…');
  });
});
