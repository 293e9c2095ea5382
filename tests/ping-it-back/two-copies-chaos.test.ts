import http from 'node:http';
import { waitFor, type RunningService } from '@pingback/testing';
import { createChannel, request, type ChannelCredentials } from '../support/api';
import { copyMetricValue } from '../support/health';
import { startReceiver, type ReceivedRequest, type Receiver } from '../support/receiver';
import { CONSUMER_SERVICES, PING_IT_BACK_SERVICES, startStack, type Stack } from '../support/stack';
import { timedSend, type SendOutcome } from '../support/steady-sender';

/**
 * Real: the compiled services as processes, two copies of each consumer (response-store, notification-dispatcher,
 * webhook-deliverer) competing for their queues, on this file's database, vhost and Redis prefix; a loopback
 * receiver as the channel's webhook destination. Issue 11's acceptance: 2,000 sends at 20 concurrent, one copy
 * of each consumer killed with SIGKILL midway. What is checked is what a user sees: the receiver's POSTs and the
 * management API, not the services' tables, so it holds whatever the consumers batch or cache.
 */
const SENDS = 2_000;
const CONCURRENCY = 20;
const KILL_AFTER_ACCEPTED = 700;

interface Notification {
  message_id: string;
  delivery_id: string;
}

interface MessageView {
  /** From the response-store's record of the message; the deliveries come from the dispatcher's. */
  title?: string;
  deliveries: { type: string; status: string; attempts: number; attempt_log: { latency_ms: number | null }[] }[];
}

/** Runs `fn` over `items`, `concurrency` at a time, and resolves with the results in order. */
async function mapConcurrently<T, R>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i]!);
    }),
  );
  return results;
}

/**
 * One readiness probe as a kubelet makes it: a connection of its own (a kept-alive socket that the server closes
 * as the next probe reuses it fails with "fetch failed", which says nothing about readiness). Resolves undefined
 * for a 200, else what went wrong, including no answer within 10 s.
 */
function probeReadiness(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/readyz', agent: false, timeout: 10_000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(response.statusCode === 200 ? undefined : `${response.statusCode} ${body}`));
    });
    request.on('timeout', () => request.destroy(new Error('no answer within 10 s')));
    request.on('error', (error) => resolve(String(error)));
  });
}

/** Asks every service's /readyz in turn until stopped, and keeps each answer that was not 200. */
function watchReadiness(services: readonly RunningService[]) {
  const failures: string[] = [];
  let watching = true;
  const loop = (async () => {
    while (watching) {
      for (const service of services) {
        const failure = await probeReadiness(service.healthPort);
        if (failure !== undefined) failures.push(`${service.name} (pid ${service.pid}): ${failure}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  return {
    async stop(): Promise<string[]> {
      watching = false;
      await loop;
      return failures;
    },
  };
}

describe('two copies of every consumer service, one copy of each killed with SIGKILL midway', () => {
  let stack: Stack;
  let receiver: Receiver;
  let channel: ChannelCredentials;
  let readiness: ReturnType<typeof watchReadiness> | undefined;

  beforeAll(async () => {
    receiver = await startReceiver();
    stack = await startStack({ PINGBACK_SEND_RATE_PER_MINUTE: '1000000' }, PING_IT_BACK_SERVICES, { copies: 2 });
    channel = await createChannel(stack, [{ type: 'webhook', url: `${receiver.url}/hook` }]);
  }, 120_000);

  afterAll(async () => {
    await readiness?.stop();
    await stack?.stop();
    await receiver?.close();
  }, 120_000);

  const messageView = (id: string) => request<MessageView>(`${stack.url}/api/messages/${id}`, { headers: { authorization: `Bearer ${channel.apiKey}` } });

  /**
   * GET /api/messages/{id} once its webhook delivery has settled (the deliverer's outcome event comes after its
   * POST) and the view is whole (the gateway leaves out the response-store's part when that read fails).
   */
  const settledView = (id: string) =>
    waitFor(
      async () => {
        const view = await messageView(id);
        const open = view.body.deliveries?.some((delivery) => delivery.status === 'pending' || delivery.status === 'retrying');
        return view.status === 200 && !open && view.body.title !== undefined && view;
      },
      { timeoutMs: 60_000, intervalMs: 250, description: `${id}'s deliveries to settle` },
    );

  /** Every message id GET /api/messages lists for the account, page by page. */
  async function listedMessageIds(): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page = await request<{ data: { id: string }[]; next_cursor: string | null }>(`${stack.url}/api/messages?limit=100${query}`, {
        headers: { authorization: `Bearer ${channel.apiKey}` },
      });
      expect(page.status).toBe(200);
      ids.push(...page.body.data.map((message) => message.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    return ids;
  }

  test('when 2,000 sends go out at 20 concurrent, then every accepted send arrives once (a repeat only as the same webhook-id) and nothing is recorded twice', async () => {
    const killed = CONSUMER_SERVICES.map((name) => stack.copies(name)[1]!);
    const survivors = CONSUMER_SERVICES.map((name) => stack.copies(name)[0]!);
    readiness = watchReadiness(survivors);
    const sendUrl = `${stack.url}/v1/send/${channel.token}`;

    const outcomes: SendOutcome[] = [];
    let acceptedSoFar = 0;
    let acceptedAtKill = 0;
    const consumedBeforeKill: number[] = [];
    let kill: Promise<unknown> | undefined;
    const killOneCopyOfEach = async () => {
      acceptedAtKill = acceptedSoFar;
      // Each copy about to die has been taking its share of the work (competing consumers), so it dies mid-flow.
      consumedBeforeKill.push(...(await Promise.all(killed.map((copy) => copyMetricValue(copy, 'pingback_messages_consumed_total')))));
      for (const copy of killed) copy.kill('SIGKILL');
      await Promise.all(killed.map((copy) => copy.waitForExit()));
    };
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let n = next++; n < SENDS; n = next++) {
          const outcome = await timedSend(sendUrl, `chaos ${n}`);
          outcomes.push(outcome);
          if (outcome.status === 200) acceptedSoFar += 1;
          if (!kill && acceptedSoFar >= KILL_AFTER_ACCEPTED) kill = killOneCopyOfEach();
        }
      }),
    );
    await kill;

    // Only accepted sends are promised. On a busy box the edge may refuse one (503 with Retry-After) or drop its
    // connection, and that send is the sender's to repeat; what must never happen is another answer or a hang.
    const refused = outcomes.filter((outcome) => outcome.status !== 200);
    const honestRefusal = (outcome: SendOutcome) =>
      (outcome.status === 503 && outcome.error === 'service_unavailable' && outcome.retryAfter !== null) ||
      (outcome.status === 0 && /ECONNRESET|UND_ERR_SOCKET/.test(outcome.error ?? ''));
    expect(refused.filter((outcome) => !honestRefusal(outcome))).toEqual([]);
    const accepted = outcomes.filter((outcome) => outcome.status === 200).map((outcome) => outcome.id!);
    const titles = new Map(outcomes.map((outcome) => [outcome.id, outcome.title]));
    expect(new Set(accepted).size).toBe(accepted.length);
    // The kill came midway: both copies of each consumer had been working, and sends went on being accepted after.
    expect(consumedBeforeKill).toHaveLength(CONSUMER_SERVICES.length);
    expect(consumedBeforeKill.every((consumed) => consumed > 0)).toBe(true);
    expect(accepted.length).toBeGreaterThan(acceptedAtKill);

    const received = (): Map<string, ReceivedRequest[]> => {
      const byMessage = new Map<string, ReceivedRequest[]>();
      for (const post of receiver.requests) {
        const id = (post.json as Notification).message_id;
        byMessage.set(id, [...(byMessage.get(id) ?? []), post]);
      }
      return byMessage;
    };
    await waitFor(() => accepted.every((id) => received().has(id)), { timeoutMs: 300_000, intervalMs: 250, description: 'every accepted send at the receiver' });

    // Arrived once: all the POSTs of a message (accepted or not: a refused send may still have been published)
    // are one POST, one webhook-id for its one delivery, repeated only when a killed deliverer had sent it but not
    // yet recorded its success (CONTRACT §2).
    const byMessage = received();
    const oneOf = (posts: ReceivedRequest[], value: (post: ReceivedRequest) => unknown) => new Set(posts.map(value)).size === 1;
    const twice = [...byMessage].filter(
      ([, posts]) => !oneOf(posts, (post) => post.headers['webhook-id']) || !oneOf(posts, (post) => (post.json as Notification).delivery_id),
    );
    expect(twice.map(([id, posts]) => ({ id, posts: posts.map((post) => post.rawBody) }))).toEqual([]);

    // Recorded once: the response-store lists each message once, and the dispatcher holds exactly its two
    // deliveries (web inbox and webhook), the webhook delivered, its answered attempts no more than the POSTs the
    // receiver read (an attempt that timed out before an answer may never have reached it, on a loaded machine).
    const listed = await listedMessageIds();
    expect(listed.length).toBe(new Set(listed).size);
    expect(listed.length).toBeLessThanOrEqual(SENDS);
    const listedIds = new Set(listed);
    expect(accepted.filter((id) => !listedIds.has(id))).toEqual([]);
    const views = await mapConcurrently(accepted, CONCURRENCY, async (id) => ({ id, view: await settledView(id) }));
    const wrong = views.filter(({ id, view }) => {
      const webhook = view.body.deliveries?.filter((delivery) => delivery.type === 'webhook') ?? [];
      const posts = byMessage.get(id)!.length;
      return (
        view.body.title !== titles.get(id) ||
        view.body.deliveries.length !== 2 ||
        webhook.length !== 1 ||
        webhook[0]!.status !== 'delivered' ||
        webhook[0]!.attempts < 1 ||
        webhook[0]!.attempt_log.filter((attempt) => attempt.latency_ms !== null).length > posts
      );
    });
    expect(wrong.map(({ id, view }) => ({ id, body: view.body }))).toEqual([]);

    // The surviving copies stayed ready through the kill and all the work it left them.
    expect(await readiness.stop()).toEqual([]);
  }, 540_000);
});
