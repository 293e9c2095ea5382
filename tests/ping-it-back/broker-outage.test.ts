import { startRabbitNode, waitFor, type RabbitNode } from '@pingback/testing';
import { answer, createChannel, DEPLOY_ACTIONS, poll, request, respondUrls, send, type ChannelCredentials } from '../support/api';
import { readiness } from '../support/health';
import { PING_IT_BACK_SERVICES, startStack, type Stack } from '../support/stack';
import { startSteadySender, timedSend, type SendOutcome, type SteadySender } from '../support/steady-sender';

/** CONTRACT §2: with the broker down the edge answers 503 service_unavailable with Retry-After within 2 s. */
const EDGE_BOUND_MS = 2_000;
const NODE_TIMEOUT_MS = 120_000;

/**
 * The stack runs on a RabbitMQ node of this file's own (its default vhost), so the node can be killed and
 * started again without touching the shared broker. The tests run in order: they follow one outage.
 */
describe('when the broker goes away and comes back', () => {
  let node: RabbitNode;
  let stack: Stack;
  let channel: ChannelCredentials;
  let steady: SteadySender | undefined;
  /** Every send that answered 200 during the file, with the title it was sent with. */
  const accepted = new Map<string, string>();

  const sendUrl = () => `${stack.url}/v1/send/${channel.token}`;
  const keep = (outcomes: SendOutcome[]) => outcomes.forEach((o) => o.status === 200 && o.id && accepted.set(o.id, o.title));

  /** What a client sees while the broker is unreachable: 503 service_unavailable, Retry-After, in time. */
  const expectRefusedInTime = (outcome: SendOutcome) => {
    expect(outcome).toMatchObject({ status: 503, error: 'service_unavailable', retryAfter: expect.stringMatching(/^[1-9]\d*$/) });
    expect(outcome.elapsedMs).toBeLessThan(EDGE_BOUND_MS);
  };

  const allServicesReady = async () => {
    const states = await Promise.all(PING_IT_BACK_SERVICES.map((name) => readiness(stack, name)));
    return states.every((s) => s.status === 200 && s.body.checks.broker === 'ok');
  };

  beforeAll(async () => {
    node = await startRabbitNode();
    // High limits: the steady sender sends for the whole outage, and the last test polls every message.
    stack = await startStack({ RABBITMQ_URL: node.url, PINGBACK_SEND_RATE_PER_MINUTE: '1000000', PINGBACK_POLL_RATE_PER_MINUTE: '1000000' });
    channel = await createChannel(stack);
  }, NODE_TIMEOUT_MS);
  afterAll(async () => {
    await steady?.stop();
    await stack?.stop();
    await node?.stop();
  }, NODE_TIMEOUT_MS);

  test(
    'when the broker node is killed, then a send answers 503 service_unavailable with Retry-After within 2 s and /readyz answers 503',
    async () => {
      steady = startSteadySender(sendUrl(), { titlePrefix: 'through the crash' });
      await waitFor(() => steady!.outcomes.filter((o) => o.status === 200).length >= 5, { description: 'sends before the crash' });

      await node.kill();

      const notReady = await waitFor(
        async () => {
          const response = await readiness(stack);
          return response.status === 503 && response;
        },
        { timeoutMs: 10_000, intervalMs: 100, description: 'the gateway /readyz to fail' },
      );
      expect(notReady.body).toMatchObject({ status: 'not_ready', checks: { broker: 'down', postgres: 'ok' } });

      for (let i = 0; i < 3; i += 1) expectRefusedInTime(await timedSend(sendUrl(), `while down ${i}`));
      const parallel = await Promise.all(Array.from({ length: 10 }, (_, i) => timedSend(sendUrl(), `while down, in parallel ${i}`)));
      parallel.forEach(expectRefusedInTime);
    },
    NODE_TIMEOUT_MS,
  );

  test(
    'when the broker node is started again, then /readyz recovers by itself and sends answer 200 again',
    async () => {
      const restartedAt = Date.now();
      await node.restart();

      await waitFor(allServicesReady, { timeoutMs: 60_000, intervalMs: 200, description: 'every service to reconnect to the broker' });
      const ready = await readiness(stack);
      expect(ready.status).toBe(200);
      expect(ready.body.checks.broker).toBe('ok');

      await waitFor(() => steady!.outcomes.some((o) => o.startedAt > restartedAt && o.status === 200), {
        timeoutMs: 10_000,
        description: 'a steady send accepted after the restart',
      });
      const outcomes = await steady!.stop();
      steady = undefined;
      keep(outcomes);

      // Through the whole crash every send either was accepted or refused with 503 in time: never hung, never 500.
      expect(new Set(outcomes.map((o) => o.status))).toEqual(new Set([200, 503]));
      outcomes.filter((o) => o.status !== 200).forEach(expectRefusedInTime);
      expect(Math.max(...outcomes.map((o) => o.elapsedMs))).toBeLessThan(EDGE_BOUND_MS);

      const after = await timedSend(sendUrl(), 'after the restart');
      expect(after.status).toBe(200);
      keep([after]);
    },
    NODE_TIMEOUT_MS,
  );

  test('when a message is sent after the recovery, then it is delivered, answered and polled end to end', async () => {
    const id = await send(stack, channel.token, { title: 'Deploy after the outage?', actions: DEPLOY_ACTIONS });
    accepted.set(id, 'Deploy after the outage?');
    const [link] = await respondUrls(stack, channel.apiKey, id);
    expect((await answer(link!, { triggered_by: 'deploy' })).status).toBe(201);
    expect((await poll(stack, channel.token, id)).body).toMatchObject({ status: 'submitted', result: { message_id: id, triggered_by: 'deploy' } });
  });

  test(
    'when the broker node is stopped cleanly and started again, then every send answers 200 or 503 within 2 s',
    async () => {
      const sender = startSteadySender(sendUrl(), { titlePrefix: 'through the restart' });
      steady = sender;
      await waitFor(() => sender.outcomes.filter((o) => o.status === 200).length >= 5, { description: 'sends before the restart' });
      const restartedAt = Date.now();
      await node.restart();
      await waitFor(allServicesReady, { timeoutMs: 60_000, intervalMs: 200, description: 'every service to reconnect to the broker' });
      await waitFor(() => sender.outcomes.some((o) => o.startedAt > restartedAt && o.status === 200), {
        timeoutMs: 10_000,
        description: 'a steady send accepted after the restart',
      });
      const outcomes = await sender.stop();
      steady = undefined;
      keep(outcomes);

      expect(outcomes.filter((o) => o.status === 503).length).toBeGreaterThan(0);
      expect(outcomes.every((o) => o.status === 200 || o.status === 503)).toBe(true);
      outcomes.filter((o) => o.status !== 200).forEach(expectRefusedInTime);
      expect(Math.max(...outcomes.map((o) => o.elapsedMs))).toBeLessThan(EDGE_BOUND_MS);
    },
    NODE_TIMEOUT_MS,
  );

  test(
    'when the outages are over, then every send that answered 200 is recorded and polls, none lost',
    async () => {
      expect(accepted.size).toBeGreaterThan(10);
      const missing = new Set(accepted.keys());
      await waitFor(
        async () => {
          for (const id of [...missing]) {
            const view = await request<{ title?: string; deliveries?: unknown[] }>(`${stack.url}/api/messages/${id}`, {
              headers: { authorization: `Bearer ${channel.apiKey}` },
            });
            if (view.status === 200 && view.body.title === accepted.get(id) && view.body.deliveries?.length) missing.delete(id);
          }
          return missing.size === 0;
        },
        { timeoutMs: 60_000, intervalMs: 500 },
      ).catch(() => undefined);
      expect([...missing]).toEqual([]);

      for (const id of accepted.keys()) {
        const polled = await poll(stack, channel.token, id);
        expect({ id, status: polled.status }).toEqual({ id, status: 200 });
        expect(['pending', 'submitted', 'already_read']).toContain(polled.body.status);
      }
    },
    NODE_TIMEOUT_MS,
  );
});
