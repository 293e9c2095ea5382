import { waitFor } from '@pingback/testing';
import { createChannel, request, send } from '../support/api';
import { startReceiver, type Receiver } from '../support/receiver';
import { PING_IT_BACK_SERVICES, startStack, type Stack } from '../support/stack';

const DESTINATIONS = 10_000;
const PER_REQUEST = 1_000;
const FANOUT_QUEUE = 'notification-dispatcher:notification:fanout';

let stack: Stack;
let sink: Receiver;

// Up to seven service processes start beside another test file's on two cores: more than jest's minute.
beforeAll(async () => {
  stack = await startStack({}, PING_IT_BACK_SERVICES, { copies: 2 });
  sink = await startReceiver(() => ({ status: 204 }));
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await sink?.close();
});

/** How many fan-out pages one dispatcher process has finished, from its /metrics. */
async function pagesDoneBy(healthPort: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${healthPort}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith('pingback_messages_acked_total{') && candidate.includes(`queue="${FANOUT_QUEUE}"`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('fan-out to ten thousand', () => {
  test('when a channel has 10,000 webhook destinations and two dispatcher processes, then one send becomes exactly 10,000 deliveries, none twice, each with a working respond link', async () => {
    const channel = await createChannel(stack);
    for (let start = 0; start < DESTINATIONS; start += PER_REQUEST) {
      const destinations = Array.from({ length: PER_REQUEST }, (_, i) => ({ type: 'webhook', url: `${sink.url}/phone/${start + i}` }));
      const added = await request(`${stack.url}/api/channels/${channel.channelId}/destinations`, { body: { destinations }, headers: { authorization: `Bearer ${channel.apiKey}` } });
      expect(added.status).toBe(201);
    }

    const messageId = await send(stack, channel.token, { title: 'Evacuate building 4', priority: 'high', actions: [{ type: 'button', label: 'Safe', key: 'safe' }] });
    await sink.waitForRequests(DESTINATIONS, 240_000);
    // Anything sent twice would arrive within moments of the rest.
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    expect(sink.requests).toHaveLength(DESTINATIONS);
    expect(new Set(sink.requests.map((r) => r.path)).size).toBe(DESTINATIONS);
    expect(new Set(sink.requests.map((r) => r.headers['webhook-id'])).size).toBe(DESTINATIONS);
    for (const received of sink.requests) expect(received.json).toMatchObject({ message_id: messageId, title: 'Evacuate building 4' });

    const pages = await Promise.all(stack.copies('notification-dispatcher').map((copy) => pagesDoneBy(copy.healthPort)));
    expect(pages.every((count) => count > 0)).toBe(true);

    const message = await waitFor(async () => {
      const read = await request<{ delivery_count: number }>(`${stack.url}/api/messages/${messageId}`, { headers: { authorization: `Bearer ${channel.apiKey}` } });
      return read.body.delivery_count === DESTINATIONS + 1 && read.body;
    }, { description: 'every delivery recorded' });
    expect(message.delivery_count).toBe(DESTINATIONS + 1);

    // The last delivery's link answers for the whole message.
    const last = sink.requests.at(-1)!.json as { respond_url: string };
    expect((await request(last.respond_url, { body: { triggered_by: 'safe', responses: {} } })).status).toBe(201);
    const poll = await request<{ status: string }>(`${stack.url}/v1/callback/${channel.token}/${messageId}`);
    expect(poll.body.status).toBe('submitted');
    const first = sink.requests[0]!.json as { respond_url: string };
    expect((await request(first.respond_url, { body: { triggered_by: 'safe', responses: {} } })).status).toBe(409);
  }, 360_000);
});
