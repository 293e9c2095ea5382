import { startService, waitFor, type RunningService } from '@pingback/testing';
import { answer, createChannel, DEPLOY_ACTIONS, request, respondUrls, send, type ChannelCredentials } from '../support/api';
import { startReceiver, type Receiver } from '../support/receiver';
import { startStack, type Stack } from '../support/stack';

/**
 * Real: the compiled services as processes, two response-stores and two webhook-deliverers among them, on this
 * file's database, vhost and Redis prefix. Both response-stores relay the one outbox (libs/durable); the one the
 * gateway answers through is killed with SIGKILL while answers, and so outbox rows, are flowing.
 */
const MESSAGES = 60;
const PARALLEL_ANSWERS = 6;

describe('two response-stores and two webhook-deliverers, one response-store killed mid-flow', () => {
  let stack: Stack;
  let channel: ChannelCredentials;
  let receiver: Receiver;
  const copies: RunningService[] = [];

  beforeAll(async () => {
    stack = await startStack({ PINGBACK_OUTBOX_INTERVAL_MS: '50' });
    copies.push(await startService('response-store', stack.env), await startService('webhook-deliverer', stack.env));
    channel = await createChannel(stack);
    receiver = await startReceiver();
  }, 120_000);

  afterAll(async () => {
    await Promise.all(copies.map((copy) => copy.stop(5_000)));
    await stack?.stop();
    await receiver?.close();
  });

  const callbackState = async (id: string): Promise<string | undefined> =>
    (await request<{ callback_state?: string }>(`${stack.url}/api/messages/${id}`, { headers: { authorization: `Bearer ${channel.apiKey}` } })).body
      .callback_state;

  test('when the response-store the gateway uses is killed with SIGKILL, then no callback is lost and each goes out as one webhook-id', async () => {
    const ids: string[] = [];
    for (let n = 0; n < MESSAGES; n += 1) {
      ids.push(await send(stack, channel.token, { title: `Deploy ${n}?`, callback_url: `${receiver.url}/callbacks/${n}`, actions: DEPLOY_ACTIONS }));
    }
    const links = new Map<string, string>();
    for (const id of ids) links.set(id, (await respondUrls(stack, channel.apiKey, id))[0]!);

    // Answer in parallel; a third of the way through, kill the response-store the gateway answers through.
    const killedOne = stack.services.get('response-store')!;
    const queue = [...ids];
    const unanswered: string[] = [];
    let accepted = 0;
    let killed: Promise<unknown> | undefined;
    await Promise.all(
      Array.from({ length: PARALLEL_ANSWERS }, async () => {
        for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
          const reply = await answer(links.get(id)!, { triggered_by: 'deploy' });
          if (reply.status === 201) accepted += 1;
          else unanswered.push(id);
          if (accepted >= MESSAGES / 3 && !killed) {
            killedOne.kill('SIGKILL');
            killed = killedOne.waitForExit();
          }
        }
      }),
    );
    await killed;
    expect(unanswered.length).toBeGreaterThan(0);

    // Back on its port; answers that failed go again (409 when the dead one had committed them before it died).
    await stack.start('response-store');
    for (const id of unanswered) expect([201, 409]).toContain((await answer(links.get(id)!, { triggered_by: 'deploy' })).status);

    await waitFor(async () => (await Promise.all(ids.map(callbackState))).every((state) => state === 'succeeded'), {
      timeoutMs: 60_000,
      intervalMs: 250,
      description: 'every callback to succeed',
    });
    // Every answer's callback arrived, and every POST of one answer is the same POST: its one webhook-id and body.
    // (A POST may repeat when the deliverer could not record its success, CONTRACT §2; the receiver dedupes by id.)
    const byPath = new Map<string, Set<string>>();
    for (const received of receiver.requests) {
      const seen = byPath.get(received.path) ?? new Set<string>();
      seen.add(`${String(received.headers['webhook-id'])} ${received.rawBody}`);
      byPath.set(received.path, seen);
    }
    expect([...byPath.keys()].sort()).toEqual(ids.map((_, n) => `/callbacks/${n}`).sort());
    expect([...byPath.values()].every((posts) => posts.size === 1)).toBe(true);
    expect(new Set(receiver.requests.map((received) => received.headers['webhook-id'])).size).toBe(MESSAGES);
  }, 120_000);
});
