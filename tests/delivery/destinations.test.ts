import { createChannel, request, type ChannelCredentials } from '../support/api';
import { startStack, type Stack } from '../support/stack';

const LIMIT = 3;

let stack: Stack;

// Up to seven service processes start beside another test file's on two cores: more than jest's minute.
beforeAll(async () => {
  // No provider is configured here: only webhook, Slack and Discord destinations need none.
  stack = await startStack({ PINGBACK_MAX_DESTINATIONS_PER_CHANNEL: String(LIMIT) });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const auth = (channel: ChannelCredentials) => ({ authorization: `Bearer ${channel.apiKey}` });
const hook = (n: number) => ({ type: 'webhook', url: `http://127.0.0.1:9/hook/${n}` });
const destinationsOf = async (channel: ChannelCredentials) =>
  (await request<{ data: { id: string; type: string }[] }>(`${stack.url}/api/channels/${channel.channelId}/destinations`, { headers: auth(channel) })).body.data;

describe('destinations, kept by the dispatcher and managed through the gateway', () => {
  test(`when ${LIMIT + 2} destinations are added at once to a channel that takes ${LIMIT}, then exactly ${LIMIT} are added and the others are 409 destination_limit_reached`, async () => {
    const channel = await createChannel(stack);
    const replies = await Promise.all(Array.from({ length: LIMIT + 2 }, (_, i) => request(`${stack.url}/api/channels/${channel.channelId}/destinations`, { body: hook(i), headers: auth(channel) })));
    expect(replies.filter((r) => r.status === 201)).toHaveLength(LIMIT);
    for (const refused of replies.filter((r) => r.status !== 201)) expect(refused).toMatchObject({ status: 409, body: { error: 'destination_limit_reached', limit: LIMIT } });
    expect(await destinationsOf(channel)).toHaveLength(LIMIT);
    const view = await request<{ destination_count: number; destinations: unknown[] }>(`${stack.url}/api/channels/${channel.channelId}`, { headers: auth(channel) });
    expect(view.body).toMatchObject({ destination_count: LIMIT });
  });

  test('when a channel is created with more destinations than the limit, then it is 409 and no channel is made', async () => {
    const channel = await createChannel(stack);
    const before = (await request<{ data: unknown[] }>(`${stack.url}/api/channels`, { headers: auth(channel) })).body.data.length;
    const reply = await request(`${stack.url}/api/channels`, { body: { name: 'too many', destinations: [hook(1), hook(2), hook(3), hook(4)] }, headers: auth(channel) });
    expect(reply).toMatchObject({ status: 409, body: { error: 'destination_limit_reached', limit: LIMIT } });
    expect((await request<{ data: unknown[] }>(`${stack.url}/api/channels`, { headers: auth(channel) })).body.data).toHaveLength(before);
  });

  test('when a batch holds one unsafe URL, then none of it is added (422 unsafe_url naming the entry)', async () => {
    const channel = await createChannel(stack);
    const reply = await request(`${stack.url}/api/channels/${channel.channelId}/destinations`, {
      body: { destinations: [hook(1), { type: 'slack', url: 'file:///etc/passwd' }] },
      headers: auth(channel),
    });
    expect(reply).toMatchObject({ status: 422, body: { error: 'unsafe_url', field: 'destinations[1]' } });
    expect(await destinationsOf(channel)).toEqual([]);
  });

  test('when a kind whose provider this deployment has not configured is added, then it is 422 provider_not_configured', async () => {
    const channel = await createChannel(stack);
    const reply = await request(`${stack.url}/api/channels/${channel.channelId}/destinations`, { body: { type: 'email', address: 'ops@example.test' }, headers: auth(channel) });
    expect(reply).toMatchObject({ status: 422, body: { error: 'provider_not_configured', type: 'email' } });
  });

  test("when another account reads, adds to or deletes a channel's destinations, then it is 404 and nothing changes", async () => {
    const owner = await createChannel(stack, [hook(1)]);
    const other = await createChannel(stack);
    const [destination] = await destinationsOf(owner);
    const base = `${stack.url}/api/channels/${owner.channelId}/destinations`;
    expect((await request(base, { headers: auth(other) })).status).toBe(404);
    expect((await request(`${base}/${destination!.id}`, { headers: auth(other) })).status).toBe(404);
    expect((await request(base, { body: hook(2), headers: auth(other) })).status).toBe(404);
    expect((await request(`${base}/${destination!.id}`, { method: 'DELETE', headers: auth(other) })).status).toBe(404);
    // Their own channel, someone else's destination id:
    expect((await request(`${stack.url}/api/channels/${other.channelId}/destinations/${destination!.id}`, { method: 'DELETE', headers: auth(other) })).status).toBe(404);
    expect(await destinationsOf(owner)).toHaveLength(1);
    expect((await request(`${base}/${destination!.id}`, { method: 'DELETE', headers: auth(owner) })).status).toBe(204);
    expect(await destinationsOf(owner)).toEqual([]);
  });

  test('when a channel is deleted, then its destinations go with it', async () => {
    const channel = await createChannel(stack, [hook(1), hook(2)]);
    expect((await request(`${stack.url}/api/channels/${channel.channelId}`, { method: 'DELETE', headers: auth(channel) })).status).toBe(204);
    expect((await request(`${stack.url}/api/channels/${channel.channelId}/destinations`, { headers: auth(channel) })).status).toBe(404);
  });

  test('when fallback or escalation name something that is not a destination, then the send is 400 validation_failed', async () => {
    const channel = await createChannel(stack);
    for (const body of [
      { title: 'x', fallback: ['carrier-pigeon'] },
      { title: 'x', fallback: [] },
      { title: 'x', escalation: { steps: [{ after: '0s', destinations: ['email'] }] } },
      { title: 'x', escalation: { steps: [{ after: '2 minutes', destinations: ['email'] }] } },
      { title: 'x', escalation: { steps: [{ after: '1s', destinations: ['email'] }], repeat: 11 } },
      { title: 'x', escalation: { steps: [] } },
    ]) {
      const reply = await request(`${stack.url}/v1/send/${channel.token}`, { body });
      expect(reply).toMatchObject({ status: 400, body: { error: 'validation_failed' } });
    }
  });
});
