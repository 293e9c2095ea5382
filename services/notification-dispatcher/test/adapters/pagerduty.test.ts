import { newId } from '@pingback/security';
import { startPagerDutyFake, type PagerDutyFake } from '@pingback/testing';
import type { DestinationAdapter, OutgoingNotification } from '../../src/adapters/adapter';
import { createPagerDutyAdapter } from '../../src/adapters/pagerduty.adapter';
import { sampleNotification } from './support/sample-notification';

let fake: PagerDutyFake;
let adapter: DestinationAdapter<{ routing_key: string }>;
let routingKey: string;

beforeEach(async () => {
  fake = await startPagerDutyFake();
  routingKey = fake.addRoutingKey();
  adapter = createPagerDutyAdapter({ apiUrl: fake.url, timeoutMs: 2_000 });
});

afterEach(async () => {
  await adapter.close();
  await fake.close();
});

function notification(overrides: Partial<OutgoingNotification> = {}): OutgoingNotification {
  // Ids of the real shape: the keyboard's callback_data and the incident's dedup_key are built from them.
  const deliveryId = newId('dlv_');
  return sampleNotification({
    messageId: newId('msg_'),
    deliveryId,
    channelId: newId('ch_'),
    title: 'Database disk 91 % full',
    body: 'db-1 /var/lib/postgresql',
    actions: [{ type: 'button', label: 'Ack', key: 'ack' }],
    data: { host: 'db-1' },
    respondUrl: `https://pingback.example/r/${deliveryId}.signature`,
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    ...overrides,
  });
}

describe('pagerduty adapter against the Events API v2 fake', () => {
  test('when a message is sent, then an incident is triggered under the delivery id with the mapped severity and an Answer link', async () => {
    const sent = notification();

    const result = await adapter.send({ routing_key: routingKey }, sent);

    expect(result).toEqual({ kind: 'delivered', providerRef: { dedup_key: sent.deliveryId } });
    expect(fake.incident(sent.deliveryId)).toMatchObject({
      state: 'triggered',
      routingKey,
      trigger: {
        event_action: 'trigger',
        client: 'Pingback',
        payload: {
          summary: 'Database disk 91 % full',
          source: 'pingback',
          severity: 'critical',
          custom_details: { body: 'db-1 /var/lib/postgresql', message_id: sent.messageId, data: { host: 'db-1' } },
        },
        links: [{ href: sent.respondUrl, text: 'Answer' }],
      },
    });
  });

  test.each([
    ['normal', 'warning'],
    ['low', 'info'],
  ] as const)('when the priority is %s, then the severity is %s', async (priority, severity) => {
    const sent = notification({ priority });

    await adapter.send({ routing_key: routingKey }, sent);

    expect(fake.incident(sent.deliveryId)?.trigger.payload?.severity).toBe(severity);
  });

  test('when the message is answered, then showAnswer resolves the incident', async () => {
    const sent = notification();
    const result = await adapter.send({ routing_key: routingKey }, sent);
    if (result.kind !== 'delivered' || !result.providerRef) throw new Error(`not delivered: ${JSON.stringify(result)}`);

    await adapter.showAnswer!({ routing_key: routingKey }, result.providerRef, { triggeredBy: 'ack', responses: {}, answeredAt: new Date().toISOString() });

    expect(fake.incident(sent.deliveryId)?.state).toBe('resolved');
    expect(fake.events.at(-1)).toEqual({ routing_key: routingKey, event_action: 'resolve', dedup_key: sent.deliveryId });
  });

  test('when the routing key is unknown, then the delivery fails with INVALID_EVENT and the recipient shows only its last four characters', async () => {
    const unknownKey = 'Q'.repeat(28) + 'abcd';

    const result = await adapter.send({ routing_key: unknownKey }, notification());

    expect(result).toMatchObject({ kind: 'failed', code: 'INVALID_EVENT' });
    expect(JSON.stringify(result)).not.toContain(unknownKey);
    expect(adapter.recipient({ routing_key: unknownKey })).toBe('pagerduty …abcd');
    expect(fake.events).toHaveLength(0);
  });

  test('when PagerDuty answers 429, then the attempt is retried and the next one opens the incident', async () => {
    fake.rateLimit(1);
    const sent = notification();

    const first = await adapter.send({ routing_key: routingKey }, sent);
    const second = await adapter.send({ routing_key: routingKey }, sent);

    expect(first).toMatchObject({ kind: 'retry', code: 'RATE_LIMITED' });
    expect(second.kind).toBe('delivered');
    expect(fake.incident(sent.deliveryId)?.state).toBe('triggered');
  });

  test('when PagerDuty answers 500, then the attempt is retried', async () => {
    fake.failNext(1);

    expect(await adapter.send({ routing_key: routingKey }, notification())).toMatchObject({ kind: 'retry', code: 'PROVIDER_ERROR' });
  });

  test('when PagerDuty does not answer in time, then the attempt is retried with TIMEOUT', async () => {
    const impatient = createPagerDutyAdapter({ apiUrl: fake.url, timeoutMs: 300 });
    fake.hang();
    try {
      expect(await impatient.send({ routing_key: routingKey }, notification())).toEqual({
        kind: 'retry',
        code: 'TIMEOUT',
        message: 'PagerDuty did not respond within 0.3 seconds',
      });
    } finally {
      await impatient.close();
    }
  });

  test('when a title is longer than PagerDuty allows, then the summary is cut to 1,024 characters and accepted', async () => {
    const sent = notification({ title: 'y'.repeat(2_000) });

    expect((await adapter.send({ routing_key: routingKey }, sent)).kind).toBe('delivered');
    expect(fake.incident(sent.deliveryId)?.trigger.payload?.summary).toHaveLength(1024);
  });
});
