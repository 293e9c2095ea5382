import { startRabbitNode, waitFor, type RabbitNode } from '@pingback/testing';
import { createChannel, request } from '../support/api';
import { startReceiver, type Receiver } from '../support/receiver';
import { MONITORING_SERVICES, startStack, type Stack } from '../support/stack';

const NODE_TIMEOUT_MS = 120_000;

/**
 * The stack runs on a RabbitMQ node of this file's own, so the broker can be killed while a heartbeat falls due
 * and started again: the clock is a row in Postgres and the alert waits in the tracker's outbox.
 */
describe('a heartbeat deadline that falls due while the broker is down', () => {
  let node: RabbitNode;
  let stack: Stack;
  let phone: Receiver;

  beforeAll(async () => {
    node = await startRabbitNode();
    stack = await startStack({ RABBITMQ_URL: node.url, PINGBACK_DEADLINE_INTERVAL_MS: '200' }, MONITORING_SERVICES);
    phone = await startReceiver(() => ({ status: 204 }));
  }, NODE_TIMEOUT_MS);
  afterAll(async () => {
    await stack?.stop();
    await node?.stop();
    await phone?.close();
  }, NODE_TIMEOUT_MS);

  const downAlerts = () => phone.requests.filter((r) => (r.json as { data?: { alert?: { event?: string } } }).data?.alert?.event === 'monitor.down');

  test(
    'when the broker is killed, the monitor goes quiet past its grace and the broker comes back, then exactly one down alert arrives',
    async () => {
      const { apiKey, channelId } = await createChannel(stack, [{ type: 'webhook', url: `${phone.url}/on-call` }]);
      const auth = { authorization: `Bearer ${apiKey}` };
      const created = await request<{ id: string }>(`${stack.url}/api/heartbeats`, {
        body: { name: 'nightly-backup', interval_seconds: 2, grace_seconds: 1, alert_channels: [channelId] },
        headers: auth,
      });
      expect(created.status).toBe(201);
      expect((await request(`${stack.url}/hbk/${created.body.id}?key=${apiKey}`)).status).toBe(200);

      await node.kill();
      // The tracker needs no broker to keep its clock: the monitor goes down while RabbitMQ is away.
      await waitFor(async () => (await request<{ state: string }>(`${stack.url}/api/heartbeats/${created.body.id}`, { headers: auth })).body.state === 'down', {
        timeoutMs: 20_000,
        description: 'the monitor to be down while the broker is away',
      });
      expect(downAlerts()).toHaveLength(0);

      await node.restart();
      await waitFor(() => downAlerts().length >= 1, { timeoutMs: 60_000, description: 'the down alert after the broker returned' });
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(downAlerts()).toHaveLength(1);
      expect(downAlerts()[0]!.json).toMatchObject({ title: expect.stringContaining('nightly-backup'), data: { subject: { type: 'monitor', id: created.body.id } } });
    },
    NODE_TIMEOUT_MS,
  );
});
