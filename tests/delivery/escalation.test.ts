import { waitFor } from '@pingback/testing';
import { createChannel, DEPLOY_ACTIONS, request, send, type ChannelCredentials } from '../support/api';
import { startReceiver, type Receiver } from '../support/receiver';
import { PING_IT_BACK_SERVICES, startStack, type Stack } from '../support/stack';

const DISPATCHER = 'notification-dispatcher';

let stack: Stack;
let phones: Receiver;

// Up to seven service processes start beside another test file's on two cores: more than jest's minute.
beforeAll(async () => {
  // Two copies of every consumer: two dispatcher processes share the clock.
  stack = await startStack({}, PING_IT_BACK_SERVICES, { copies: 2 });
  phones = await startReceiver(() => ({ status: 204 }));
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await phones?.close();
});

/** A channel whose two webhook destinations are two people's phones; returns their destination ids. */
async function twoPhones(): Promise<{ channel: ChannelCredentials; first: string; second: string; tag: string }> {
  const tag = Math.random().toString(36).slice(2, 8);
  const channel = await createChannel(stack, [
    { type: 'webhook', url: `${phones.url}/${tag}/first` },
    { type: 'webhook', url: `${phones.url}/${tag}/second` },
  ]);
  const listed = await request<{ data: { id: string; url: string }[] }>(`${stack.url}/api/channels/${channel.channelId}/destinations`, { headers: { authorization: `Bearer ${channel.apiKey}` } });
  const idOf = (suffix: string) => listed.body.data.find((d) => d.url.endsWith(suffix))!.id;
  return { channel, first: idOf('/first'), second: idOf('/second'), tag };
}

const reached = (tag: string) => phones.requests.filter((r) => r.path.startsWith(`/${tag}/`));

describe('escalation on the durable clock', () => {
  test('when every dispatcher process is killed with SIGKILL mid-policy and started again, then each step runs once, in order, none twice', async () => {
    const { channel, first, second, tag } = await twoPhones();
    await send(stack, channel.token, {
      title: 'Disk full on db-1',
      escalation: { steps: [{ after: '1s', destinations: [first] }, { after: '1s', destinations: [second] }], repeat: 1 },
    });
    await waitFor(() => reached(tag).length >= 1, { description: 'the first step', timeoutMs: 15_000 });
    const dispatchers = stack.copies(DISPATCHER);
    for (const dispatcher of dispatchers) dispatcher.kill('SIGKILL');
    await Promise.all(dispatchers.map((dispatcher) => dispatcher.waitForExit()));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await Promise.all(dispatchers.map((_, copy) => stack.start(DISPATCHER, {}, copy)));

    await waitFor(() => reached(tag).length >= 4, { description: 'four steps', timeoutMs: 30_000 });
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const steps = reached(tag);
    expect(steps.map((r) => r.path)).toEqual([`/${tag}/first`, `/${tag}/second`, `/${tag}/first`, `/${tag}/second`]);
    expect(new Set(steps.map((r) => r.headers['webhook-id'])).size).toBe(4);
  });

  test('when the message is answered after the first step, then no later step runs', async () => {
    const { channel, first, second, tag } = await twoPhones();
    await send(stack, channel.token, {
      title: 'Approve the release?',
      actions: DEPLOY_ACTIONS,
      escalation: { steps: [{ after: '1s', destinations: [first] }, { after: '2s', destinations: [second] }], repeat: 3 },
    });
    const [step] = await waitFor(() => reached(tag).length >= 1 && reached(tag), { description: 'the first step', timeoutMs: 15_000 });
    const respondUrl = (step!.json as { respond_url: string }).respond_url;
    const answered = await request(respondUrl, { body: { triggered_by: 'deploy', responses: {} } });
    expect(answered.status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(reached(tag).map((r) => r.path)).toEqual([`/${tag}/first`]);
  });

  test('when a channel has an escalation policy, then a send without its own follows it', async () => {
    const { channel, first, tag } = await twoPhones();
    const policy = await request(`${stack.url}/api/channels/${channel.channelId}/escalation`, {
      method: 'PUT',
      body: { escalation: { steps: [{ after: '1s', destinations: [first] }] } },
      headers: { authorization: `Bearer ${channel.apiKey}` },
    });
    expect(policy).toMatchObject({ status: 200, body: { escalation: { steps: [{ after: '1s', destinations: [first] }], repeat: 0 } } });
    // What is read back can be sent back.
    const read = await request<{ escalation: unknown }>(`${stack.url}/api/channels/${channel.channelId}/escalation`, { headers: { authorization: `Bearer ${channel.apiKey}` } });
    const again = await request(`${stack.url}/api/channels/${channel.channelId}/escalation`, { method: 'PUT', body: { escalation: read.body.escalation }, headers: { authorization: `Bearer ${channel.apiKey}` } });
    expect(again.status).toBe(200);
    await send(stack, channel.token, { title: 'Backup failed' });
    // The primary round reaches only the destination the policy does not hold back; the step then reaches the first.
    await waitFor(() => reached(tag).length >= 2, { description: 'the primary delivery and the step', timeoutMs: 15_000 });
    expect(reached(tag).map((r) => r.path).sort()).toEqual([`/${tag}/first`, `/${tag}/second`]);
  });
});
