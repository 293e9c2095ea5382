import { answer, createChannel, DEPLOY_ACTIONS, poll, respondUrls, send, type ChannelCredentials } from '../support/api';
import { startReceiver, type Receiver } from '../support/receiver';
import { startStack, type Stack } from '../support/stack';

describe('first answer wins, the answer is read once', () => {
  let stack: Stack;
  let channel: ChannelCredentials;
  let destination: Receiver;

  beforeAll(async () => {
    destination = await startReceiver();
    stack = await startStack();
    // Two deliveries per message (the web inbox and a webhook), so two different respond links.
    channel = await createChannel(stack, [{ type: 'webhook', url: `${destination.url}/hook` }]);
  });
  afterAll(async () => {
    await stack?.stop();
    await destination?.close();
  });

  test('when twenty answers race on two links of one message, then exactly one is accepted and the rest get 409', async () => {
    const id = await send(stack, channel.token, { title: 'Deploy?', actions: DEPLOY_ACTIONS });
    const links = await respondUrls(stack, channel.apiKey, id);
    expect(links).toHaveLength(2);

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => answer(links[i % 2]!, { triggered_by: i % 3 === 0 ? 'cancel' : 'deploy' })),
    );
    const accepted = results.filter((r) => r.status === 201);
    expect(accepted).toHaveLength(1);
    expect(results.filter((r) => r.status === 409).every((r) => (r.body as { error: string }).error === 'already_responded')).toBe(true);
    expect(results.filter((r) => r.status === 409)).toHaveLength(19);

    const winner = (accepted[0]!.body as { answer: { triggered_by: string } }).answer.triggered_by;
    const read = await poll(stack, channel.token, id);
    expect(read.body).toMatchObject({ status: 'submitted', result: { triggered_by: winner } });
  });

  test('when two polls race after an answer, then exactly one gets submitted and the other already_read', async () => {
    const id = await send(stack, channel.token, { title: 'Deploy?', actions: DEPLOY_ACTIONS });
    const [link] = await respondUrls(stack, channel.apiKey, id);
    expect((await answer(link!, { triggered_by: 'deploy' })).status).toBe(201);

    const polls = await Promise.all([poll(stack, channel.token, id), poll(stack, channel.token, id)]);
    const statuses = polls.map((p) => p.body.status).sort();
    expect(statuses).toEqual(['already_read', 'submitted']);
  });

  test('when the webhook destination gets the notification, then its respond_url answers the message', async () => {
    const id = await send(stack, channel.token, { title: 'From the webhook', actions: DEPLOY_ACTIONS });
    const request = await destination.waitForRequest((r) => (r.json as { message_id?: string } | undefined)?.message_id === id);
    const delivered = request.json as { message_id: string; respond_url: string };
    expect((await answer(delivered.respond_url, { triggered_by: 'cancel' })).status).toBe(201);
    expect((await poll(stack, channel.token, id)).body).toMatchObject({ status: 'submitted', result: { triggered_by: 'cancel' } });
  });
});
