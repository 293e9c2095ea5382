import { answer, createChannel, DEPLOY_ACTIONS, poll, request, respondUrls, send, type ChannelCredentials } from '../support/api';
import { startStack, type Stack } from '../support/stack';
import { waitFor } from '@pingback/testing';

const READ_WINDOW_MS = 2_000;

describe('polling a message: every status of seed 000', () => {
  let stack: Stack;
  let channel: ChannelCredentials;

  beforeAll(async () => {
    stack = await startStack({ PINGBACK_READ_WINDOW_MS: String(READ_WINDOW_MS), PINGBACK_MIN_EXPIRES_IN_SECONDS: '1' });
    channel = await createChannel(stack);
  });
  afterAll(() => stack?.stop());

  const sendDeploy = (extra: Record<string, unknown> = {}) => send(stack, channel.token, { title: 'Deploy to Production?', actions: DEPLOY_ACTIONS, ...extra });
  const firstLink = async (messageId: string) => (await respondUrls(stack, channel.apiKey, messageId))[0]!;

  test('when nobody has answered yet, then the poll says pending', async () => {
    const id = await sendDeploy();
    expect((await poll(stack, channel.token, id)).body).toEqual({ status: 'pending' });
  });

  test('when the answer is read, then the first poll gets submitted with seed 001 fields and later polls already_read', async () => {
    const id = await sendDeploy();
    expect((await answer(await firstLink(id), { triggered_by: 'deploy' })).status).toBe(201);

    const first = await poll(stack, channel.token, id);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      status: 'submitted',
      result: { message_id: id, channel_id: channel.channelId, timestamp: expect.stringMatching(/Z$/), triggered_by: 'deploy', responses: {} },
      submitted_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
    });
    expect((await poll(stack, channel.token, id)).body).toEqual({ status: 'already_read' });
  });

  test('when the answer is not read within the read window, then the poll says expired', async () => {
    const id = await sendDeploy();
    await answer(await firstLink(id), { triggered_by: 'cancel' });
    await new Promise((resolve) => setTimeout(resolve, READ_WINDOW_MS + 300));
    expect((await poll(stack, channel.token, id)).body).toEqual({ status: 'expired' });
  });

  test('when the answer window closes with no answer, then the poll says expired and the link answers 410', async () => {
    const id = await sendDeploy({ expires_in: 1 });
    const link = await firstLink(id);
    await waitFor(async () => (await poll(stack, channel.token, id)).body.status === 'expired', { timeoutMs: 5_000 });
    const late = await answer(link, { triggered_by: 'deploy' });
    expect(late.status).toBe(410);
    expect(late.body).toMatchObject({ error: 'link_expired' });
  });

  test('when the callback fails for good, then an unread answer polls failed', async () => {
    // Nothing listens on port 9 of loopback: every attempt is a connection error.
    const id = await sendDeploy({ callback_url: 'http://127.0.0.1:9/callback' });
    await answer(await firstLink(id), { triggered_by: 'deploy' });
    // Polling now would read the answer (it is held for one poll while the callback is under way), so wait
    // on the message record instead.
    await waitFor(
      async () => (await request<{ callback_state: string }>(`${stack.url}/api/messages/${id}`, { headers: { authorization: `Bearer ${channel.apiKey}` } })).body.callback_state === 'failed',
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    expect((await poll(stack, channel.token, id)).body).toEqual({ status: 'failed' });
  });

  test('when a made-up id is polled, then 404; when another channel polls a real id, then 404', async () => {
    const id = await sendDeploy();
    const made_up = `${id.slice(0, -1)}${id.endsWith('A') ? 'B' : 'A'}`;
    expect((await poll(stack, channel.token, made_up)).status).toBe(404);
    const other = await createChannel(stack);
    const foreign = await poll(stack, other.token, id);
    expect(foreign.status).toBe(404);
    expect(foreign.body).toMatchObject({ error: 'not_found' });
  });
});
