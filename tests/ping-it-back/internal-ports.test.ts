import { waitFor } from '@pingback/testing';
import { answer, createChannel, DEPLOY_ACTIONS, poll, request, respondUrls, send, type ChannelCredentials } from '../support/api';
import { startStack, type Stack } from '../support/stack';

// With PINGBACK_ALLOW_PRIVATE_TARGETS=true (development) a callback_url may be any loopback URL, including the
// internal port of response-store. The deliverer's POST must reach nothing there: it never carries the
// internal-call credential.
describe('internal ports, aimed at by a callback_url', () => {
  let stack: Stack;
  let victim: ChannelCredentials;
  let attacker: ChannelCredentials;

  beforeAll(async () => {
    stack = await startStack();
    [victim, attacker] = await Promise.all([createChannel(stack), createChannel(stack)]);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  test('when an account points its callback at another channel expire-open route, then the callback fails and the victim message stays pending', async () => {
    const victimId = await send(stack, victim.token, { title: 'Deploy?', actions: DEPLOY_ACTIONS });
    await respondUrls(stack, victim.apiKey, victimId); // recorded and dispatched
    const internalPort = stack.services.get('response-store')!.healthPort;

    const attackId = await send(stack, attacker.token, {
      title: 'bait',
      actions: DEPLOY_ACTIONS,
      callback_url: `http://127.0.0.1:${internalPort}/internal/channels/${victim.channelId}/expire-open`,
    });
    const [link] = await respondUrls(stack, attacker.apiKey, attackId);
    expect((await answer(link!, { triggered_by: 'deploy' })).status).toBe(201);
    await waitFor(
      async () =>
        (await request<{ callback_state: string }>(`${stack.url}/api/messages/${attackId}`, { headers: { authorization: `Bearer ${attacker.apiKey}` } })).body
          .callback_state === 'failed',
      { timeoutMs: 20_000, intervalMs: 200, description: 'the callback to the internal port failed' },
    );

    expect((await poll(stack, victim.token, victimId)).body).toEqual({ status: 'pending' });
  });
});
