import { Webhook } from 'standardwebhooks';
import { waitFor } from '@pingback/testing';
import { createChannel, DEPLOY_ACTIONS, request, send, type ChannelCredentials } from '../support/api';
import { startProviderFakes, type ProviderFakes } from '../support/provider-fakes';
import { startReceiver, type ReceivedRequest, type Receiver } from '../support/receiver';
import { startStack, type Stack } from '../support/stack';
import { verifyWebhook } from '../seed-clients/verify-webhook.cjs';

const SEED_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
/** Seed 003's payloads, field for field and in its order. */
const DELIVERED_FIELDS = ['event', 'notification_id', 'channel', 'status', 'recipient', 'delivered_at', 'latency_ms', 'attempt', 'metadata', 'timestamp'];
const FAILED_FIELDS = ['event', 'notification_id', 'channel', 'status', 'recipient', 'error', 'attempts', 'first_attempt_at', 'last_attempt_at', 'metadata', 'timestamp'];

const asExpressRequest = (received: ReceivedRequest) => ({ headers: received.headers, body: JSON.parse(received.rawBody) as unknown });
const standardHeaders = (received: ReceivedRequest) => ({
  'webhook-id': String(received.headers['webhook-id']),
  'webhook-timestamp': String(received.headers['webhook-timestamp']),
  'webhook-signature': String(received.headers['webhook-signature']),
});
const eventOf = (received: ReceivedRequest) => (received.json as { event: string }).event;
/**
 * Each event is a POST of its own, so events raised within moments of each other arrive in any order (README): a
 * test finds them by name, and checks the order they happened in by their own times.
 */
const eventNamed = (received: ReceivedRequest[], name: string) => received.find((request) => eventOf(request) === name)!.json as Record<string, unknown>;
const namesOf = (received: ReceivedRequest[]) => received.map(eventOf).sort();

let stack: Stack;
let fakes: ProviderFakes;
const receivers: Receiver[] = [];

// Up to seven service processes start beside another test file's on two cores: more than jest's minute.
beforeAll(async () => {
  fakes = await startProviderFakes(['ops@example.test', 'later@example.test']);
  stack = await startStack(fakes.env);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await fakes?.close();
  await Promise.all(receivers.map((r) => r.close()));
});

async function receiver(reply?: Parameters<typeof startReceiver>[0]) {
  const started = await startReceiver(reply);
  receivers.push(started);
  return started;
}

const auth = (channel: ChannelCredentials) => ({ authorization: `Bearer ${channel.apiKey}` });

describe("delivery events, as seed 003 describes them", () => {
  test("when a webhook destination is delivered to and the account has an event endpoint, then the endpoint gets notification.delivered field for field, and seed 003's Node verifier and standardwebhooks accept it with the endpoint's secret", async () => {
    const destination = await receiver(() => ({ status: 204 }));
    const events = await receiver();
    const channel = await createChannel(stack, [{ type: 'webhook', url: `${destination.url}/hook` }]);
    const endpoint = await request<{ id: string; url: string; signing_secret: string }>(`${stack.url}/api/endpoints`, { body: { url: `${events.url}/events` }, headers: auth(channel) });
    expect(endpoint.status).toBe(201);
    expect(endpoint.body.signing_secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);

    const messageId = await send(stack, channel.token, { title: 'Order shipped', data: { order_id: 'ORD-5678' } });
    const [event] = await events.waitForRequests(1);
    expect(event!.path).toBe('/events');
    expect(Object.keys(event!.json as object)).toEqual(DELIVERED_FIELDS);
    expect(event!.json).toMatchObject({
      event: 'notification.delivered',
      notification_id: messageId,
      channel: 'webhook',
      status: 'delivered',
      recipient: `${destination.url}/hook`,
      attempt: 1,
      metadata: { order_id: 'ORD-5678' },
    });
    const body = event!.json as { delivered_at: string; timestamp: string; latency_ms: number };
    expect(body.delivered_at).toMatch(SEED_TIMESTAMP);
    expect(body.timestamp).toMatch(SEED_TIMESTAMP);
    expect(body.latency_ms).toBeGreaterThanOrEqual(0);
    expect(verifyWebhook(asExpressRequest(event!), endpoint.body.signing_secret)).toBe(true);
    expect(verifyWebhook(asExpressRequest(event!), channel.signingSecret)).toBe(false);
    expect(new Webhook(endpoint.body.signing_secret).verify(event!.rawBody, standardHeaders(event!))).toEqual(event!.json);
  });

  test("when a send names events_url, then its events go there (signed with the channel's secret) and never to callback_url", async () => {
    const destination = await receiver(() => ({ status: 204 }));
    const events = await receiver();
    const callbacks = await receiver();
    const channel = await createChannel(stack, [{ type: 'webhook', url: `${destination.url}/hook` }]);
    await send(stack, channel.token, { title: 'Deploy?', actions: DEPLOY_ACTIONS, events_url: `${events.url}/mine`, callback_url: `${callbacks.url}/answers` });
    const [event] = await events.waitForRequests(1);
    expect(eventOf(event!)).toBe('notification.delivered');
    expect(verifyWebhook(asExpressRequest(event!), channel.signingSecret)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(callbacks.requests).toHaveLength(0);
  });

  test('when the email bounces and the send lists Slack as its fallback, then Slack delivers and the events are bounced, fallback, then delivered', async () => {
    const events = await receiver();
    const channel = await createChannel(stack, [
      { type: 'email', address: 'nobody@example.test' },
      { type: 'slack', url: fakes.slack.hookUrl() },
    ]);
    const slackBefore = fakes.slack.posts.length;
    const messageId = await send(stack, channel.token, { title: 'Database down', priority: 'high', fallback: ['slack'], events_url: `${events.url}/events` });

    const received = await events.waitForRequests(3);
    expect(namesOf(received)).toEqual(['notification.bounced', 'notification.delivered', 'notification.fallback']);
    const [bounced, fallback, delivered] = ['notification.bounced', 'notification.fallback', 'notification.delivered'].map((name) => eventNamed(received, name));
    expect(Object.keys(bounced!)).toEqual(FAILED_FIELDS);
    expect(bounced).toMatchObject({ channel: 'email', status: 'bounced', recipient: 'nobody@example.test', error: { code: 'RECIPIENT_REJECTED' }, attempts: 1 });
    expect((bounced as { error: { message: string } }).error.message).toMatch(/550/);
    expect(fallback).toMatchObject({ notification_id: messageId, channel: 'slack', status: 'fallback' });
    expect(delivered).toMatchObject({ notification_id: messageId, channel: 'slack', status: 'delivered' });
    // In the order they happened (the seed's times are whole seconds, so equal is allowed).
    expect([bounced!.last_attempt_at, fallback!.timestamp, delivered!.delivered_at]).toEqual([bounced!.last_attempt_at, fallback!.timestamp, delivered!.delivered_at].sort());
    expect(fakes.slack.posts.length).toBe(slackBefore + 1);
  });

  test('when the mail server answers 451 once, then the email is retried on the provider schedule: retrying, then delivered on attempt 2', async () => {
    const events = await receiver();
    fakes.smtp.greylist('later@example.test', 1);
    const channel = await createChannel(stack, [{ type: 'email', address: 'later@example.test' }]);
    const messageId = await send(stack, channel.token, { title: 'Invoice ready', events_url: `${events.url}/events` });
    const received = await events.waitForRequests(2);
    expect(namesOf(received)).toEqual(['notification.delivered', 'notification.retrying']);
    const [retrying, delivered] = ['notification.retrying', 'notification.delivered'].map((name) => eventNamed(received, name));
    expect(retrying).toMatchObject({ channel: 'email', attempt: 1, max_attempts: 3, error: { code: 'TEMPORARY_FAILURE' } });
    expect(retrying!.next_retry_at).toMatch(SEED_TIMESTAMP);
    expect(delivered).toMatchObject({ notification_id: messageId, channel: 'email', recipient: 'later@example.test', attempt: 2 });
    expect([retrying!.timestamp, delivered!.delivered_at]).toEqual([retrying!.timestamp, delivered!.delivered_at].sort());
    expect(fakes.smtp.mails.filter((mail) => mail.to.includes('later@example.test'))).toHaveLength(1);
  });

  test('when an event endpoint keeps failing, then the event is retried on the schedule, fails for good, and can be re-sent by API', async () => {
    let healthy = false;
    const events = await receiver(() => ({ status: healthy ? 200 : 503 }));
    const destination = await receiver(() => ({ status: 204 }));
    const channel = await createChannel(stack, [{ type: 'webhook', url: `${destination.url}/hook` }]);
    await send(stack, channel.token, { title: 'Nightly report', events_url: `${events.url}/events` });
    // The test schedule: five retries after 0.2, 0.4, 0.8, 1.6 and 3.2 s (seed 003's 30 s … 1 h, shortened).
    await events.waitForRequests(6, 20_000);
    const webhookId = String(events.requests[0]!.headers['webhook-id']);
    const failed = await waitFor(async () => {
      const list = await request<{ data: { id: string; status: string }[] }>(`${stack.url}/api/deliveries?status=failed`, { headers: auth(channel) });
      return list.body.data?.find((row) => row.id === webhookId);
    }, { description: 'the event listed as failed' });
    expect(failed.status).toBe('failed');

    healthy = true;
    const resent = await request(`${stack.url}/api/deliveries/${webhookId}/resend`, { method: 'POST', headers: auth(channel) });
    expect(resent.status).toBe(202);
    const [again] = (await events.waitForRequests(7)).slice(6);
    expect(again!.headers['webhook-id']).toBe(webhookId);
    expect(eventOf(again!)).toBe('notification.delivered');
  });

  test('when a webhook delivery failed for good, then the owner can re-send it: it is delivered and the message keeps both rounds of attempts', async () => {
    let healthy = false;
    const destination = await receiver(() => ({ status: healthy ? 204 : 500 }));
    const channel = await createChannel(stack, [{ type: 'webhook', url: `${destination.url}/hook` }]);
    const messageId = await send(stack, channel.token, { title: 'Certificate expires in 3 days' });
    type View = { deliveries: { id: string; type: string; status: string; attempt_log: { resend: number; attempt: number; outcome: string }[] }[] };
    const read = async () => (await request<View>(`${stack.url}/api/messages/${messageId}`, { headers: auth(channel) })).body.deliveries.find((d) => d.type === 'webhook');
    const failed = await waitFor(async () => ((await read())?.status === 'failed' ? read() : undefined), { description: 'the delivery failed for good' });
    expect(destination.requests).toHaveLength(3);

    const other = await createChannel(stack);
    expect((await request(`${stack.url}/api/deliveries/${failed!.id}/resend`, { method: 'POST', headers: auth(other) })).status).toBe(404);
    healthy = true;
    const resent = await request(`${stack.url}/api/deliveries/${failed!.id}/resend`, { method: 'POST', headers: auth(channel) });
    expect(resent).toMatchObject({ status: 202, body: { id: failed!.id, status: 'pending' } });
    const delivered = await waitFor(async () => {
      const delivery = await read();
      return delivery?.status === 'delivered' && delivery;
    }, { description: 'the resent delivery delivered' });
    expect(delivered.attempt_log.map((a) => [a.resend, a.attempt, a.outcome])).toEqual([
      [0, 1, 'retrying'],
      [0, 2, 'retrying'],
      [0, 3, 'failed'],
      [1, 1, 'delivered'],
    ]);
    expect((await request(`${stack.url}/api/deliveries/${failed!.id}/resend`, { method: 'POST', headers: auth(channel) })).body).toMatchObject({ error: 'not_resendable' });
  });

  test('when an event endpoint answers 410 Gone, then it is disabled: later events skip it until its owner enables it again', async () => {
    let gone = true;
    const events = await receiver(() => ({ status: gone ? 410 : 200 }));
    const destination = await receiver(() => ({ status: 204 }));
    const channel = await createChannel(stack, [{ type: 'webhook', url: `${destination.url}/hook` }]);
    const endpoint = await request<{ id: string }>(`${stack.url}/api/endpoints`, { body: { url: `${events.url}/events` }, headers: auth(channel) });
    await send(stack, channel.token, { title: 'First' });
    await events.waitForRequests(1);
    const disabled = await waitFor(async () => {
      const read = await request<{ disabled_at: string | null }>(`${stack.url}/api/endpoints/${endpoint.body.id}`, { headers: auth(channel) });
      return read.body.disabled_at ? read.body : undefined;
    }, { description: 'the endpoint disabled' });
    expect(disabled.disabled_at).toMatch(/Z$/);

    await send(stack, channel.token, { title: 'Second' });
    await destination.waitForRequests(2);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(events.requests).toHaveLength(1);

    gone = false;
    expect((await request(`${stack.url}/api/endpoints/${endpoint.body.id}/enable`, { method: 'POST', headers: auth(channel) })).body).toMatchObject({ disabled_at: null });
    await send(stack, channel.token, { title: 'Third' });
    const [, again] = await events.waitForRequests(2);
    expect(again!.json).toMatchObject({ event: 'notification.delivered' });
  });

  test('when a webhook destination answers 410 Gone, then it is switched off and later sends skip it', async () => {
    const gone = await receiver(() => ({ status: 410 }));
    const channel = await createChannel(stack, [{ type: 'webhook', url: `${gone.url}/hook` }]);
    await send(stack, channel.token, { title: 'First' });
    await gone.waitForRequests(1);
    await waitFor(async () => {
      const listed = await request<{ data: { active: boolean }[] }>(`${stack.url}/api/channels/${channel.channelId}/destinations`, { headers: auth(channel) });
      return listed.body.data[0]?.active === false;
    }, { description: 'the destination switched off' });
    await send(stack, channel.token, { title: 'Second' });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(gone.requests).toHaveLength(1);
  });

  test("when a webhook destination answers 410, then the account's event endpoint gets endpoint.disabled, the log shows the POST by endpoint, and once the owner enables the destination sends reach it again", async () => {
    let gone = true;
    const destination = await receiver(() => (gone ? { status: 410, body: 'gone for good' } : { status: 204 }));
    const events = await receiver();
    const channel = await createChannel(stack, [{ type: 'webhook', url: `${destination.url}/hook` }]);
    const other = await createChannel(stack);
    const endpoint = await request<{ signing_secret: string }>(`${stack.url}/api/endpoints`, { body: { url: `${events.url}/events` }, headers: auth(channel) });
    const listed = await request<{ data: { id: string; active: boolean }[] }>(`${stack.url}/api/channels/${channel.channelId}/destinations`, { headers: auth(channel) });
    const destinationId = listed.body.data[0]!.id;

    await send(stack, channel.token, { title: 'First' });
    const received = await events.waitForRequests(2);
    const notice = received.find((event) => eventOf(event) === 'endpoint.disabled')!;
    expect(received.map(eventOf).sort()).toEqual(['endpoint.disabled', 'notification.failed']);
    expect(notice.json).toEqual({
      event: 'endpoint.disabled',
      endpoint: { type: 'webhook_destination', id: destinationId, url: `${destination.url}/hook` },
      reason: 'gone',
      consecutive_failures: 1,
      disabled_at: expect.stringMatching(SEED_TIMESTAMP),
      timestamp: expect.stringMatching(SEED_TIMESTAMP),
    });
    expect(verifyWebhook(asExpressRequest(notice), endpoint.body.signing_secret)).toBe(true);
    await waitFor(async () => {
      const read = await request<{ data: { active: boolean }[] }>(`${stack.url}/api/channels/${channel.channelId}/destinations`, { headers: auth(channel) });
      return read.body.data[0]?.active === false;
    }, { description: 'the destination switched off' });

    type Post = { id: string; status: string; endpoint: unknown; attempts: { status_code: number | null; response_body: string | null; latency_ms: number | null }[] };
    const log = await request<{ data: Post[] }>(`${stack.url}/api/deliveries?endpoint=${destinationId}`, { headers: auth(channel) });
    expect(log.body.data).toHaveLength(1);
    const [post] = log.body.data;
    expect(post).toMatchObject({ status: 'failed', endpoint: { kind: 'destination', id: destinationId } });
    expect(post!.attempts).toEqual([expect.objectContaining({ status_code: 410, response_body: 'gone for good', latency_ms: expect.any(Number) })]);
    expect((await request(`${stack.url}/api/deliveries/${post!.id}`, { headers: auth(channel) })).body).toEqual(post);
    expect((await request(`${stack.url}/api/deliveries/${post!.id}`, { headers: auth(other) })).status).toBe(404);
    expect((await request(`${stack.url}/api/deliveries?endpoint=${destinationId}`, { headers: auth(other) })).body).toMatchObject({ data: [] });

    gone = false;
    const enable = (owner: ChannelCredentials) => request(`${stack.url}/api/channels/${channel.channelId}/destinations/${destinationId}/enable`, { method: 'POST', headers: auth(owner) });
    expect((await enable(other)).status).toBe(404);
    expect(await enable(channel)).toMatchObject({ status: 200, body: { id: destinationId, active: true } });
    await send(stack, channel.token, { title: 'Second' });
    await destination.waitForRequests(2);
  });

  test('when a fallback entry names nothing the channel has, then it is passed over for the next one', async () => {
    const events = await receiver();
    const failing = await receiver(() => ({ status: 500 }));
    const channel = await createChannel(stack, [
      { type: 'webhook', url: `${failing.url}/hook` },
      { type: 'slack', url: fakes.slack.hookUrl() },
    ]);
    await send(stack, channel.token, { title: 'Queue stuck', fallback: ['pagerduty', 'slack'], events_url: `${events.url}/events` });
    const received = await events.waitForRequests(5, 20_000);
    expect(namesOf(received)).toEqual(['notification.delivered', 'notification.failed', 'notification.fallback', 'notification.retrying', 'notification.retrying']);
    const [failed, fallback, delivered] = ['notification.failed', 'notification.fallback', 'notification.delivered'].map((name) => eventNamed(received, name));
    expect(fallback).toMatchObject({ channel: 'slack' });
    expect(delivered).toMatchObject({ channel: 'slack' });
    const retried = received.filter((request) => eventOf(request) === 'notification.retrying').map((request) => (request.json as { timestamp: string }).timestamp);
    expect([...retried.sort(), failed!.last_attempt_at, fallback!.timestamp, delivered!.delivered_at]).toEqual([...retried, failed!.last_attempt_at, fallback!.timestamp, delivered!.delivered_at].sort());
  });

  test("when another account asks for an endpoint, then it is 404, and an endpoint aimed at a refused address is 422 unsafe_url", async () => {
    const events = await receiver();
    const owner = await createChannel(stack);
    const other = await createChannel(stack);
    const endpoint = await request<{ id: string }>(`${stack.url}/api/endpoints`, { body: { url: `${events.url}/x` }, headers: auth(owner) });
    expect((await request(`${stack.url}/api/endpoints/${endpoint.body.id}`, { headers: auth(other) })).status).toBe(404);
    expect((await request(`${stack.url}/api/endpoints/${endpoint.body.id}`, { method: 'DELETE', headers: auth(other) })).status).toBe(404);
    expect((await request(`${stack.url}/api/endpoints/${endpoint.body.id}/enable`, { method: 'POST', headers: auth(other) })).status).toBe(404);
    expect((await request(`${stack.url}/api/endpoints/${endpoint.body.id}/rotate-secret`, { method: 'POST', headers: auth(other) })).status).toBe(404);
    expect((await request(`${stack.url}/api/endpoints/${endpoint.body.id}`, { headers: auth(owner) })).status).toBe(200);
    const unsafe = await request(`${stack.url}/api/endpoints`, { body: { url: 'ftp://127.0.0.1/x' }, headers: auth(owner) });
    expect(unsafe).toMatchObject({ status: 422, body: { error: 'unsafe_url' } });
  });
});
