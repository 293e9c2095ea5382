import path from 'node:path';
import { waitFor } from '@pingback/testing';
import { createChannel, DEPLOY_ACTIONS, request, send, type ChannelCredentials } from '../support/api';
import { startProviderFakes, type ProviderFakes } from '../support/provider-fakes';
import { requireTools, runClient } from '../support/run-client';
import { startStack, type Stack } from '../support/stack';

const DEVICE = 'a1'.repeat(32);
const CHAT = 424242;

interface DeliveryView {
  id: string;
  type: string;
  status: string;
  recipient: string | null;
  attempts: number;
  respond_url: string;
  attempt_log: { attempt: number; outcome: string }[];
}

let stack: Stack;
let fakes: ProviderFakes;

// Up to seven service processes start beside another test file's on two cores: more than jest's minute.
beforeAll(async () => {
  requireTools('curl', 'jq');
  fakes = await startProviderFakes(['oncall@example.test']);
  fakes.telegram.addChat(CHAT);
  stack = await startStack(fakes.env);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await fakes?.close();
});

const readMessage = async (channel: ChannelCredentials, messageId: string) =>
  (await request<{ deliveries: DeliveryView[]; answer?: unknown }>(`${stack.url}/api/messages/${messageId}`, { headers: { authorization: `Bearer ${channel.apiKey}` } })).body;

describe('every destination kind, each against a local server that speaks its provider protocol', () => {
  test('when a channel has one destination of every kind, then one send reaches each provider with its respond link, and the message lists every delivery as delivered on its first attempt', async () => {
    const routingKey = fakes.pagerduty.addRoutingKey();
    const subscription = fakes.webPush.subscribe(fakes.vapidPublicKey);
    const channel = await createChannel(stack, [
      { type: 'email', address: 'oncall@example.test' },
      { type: 'slack', url: fakes.slack.hookUrl() },
      { type: 'discord', url: fakes.discord.hookUrl() },
      { type: 'apns', device_token: DEVICE },
      { type: 'telegram', chat_id: CHAT },
      { type: 'pagerduty', routing_key: routingKey },
      { type: 'web_push', subscription },
    ]);
    const messageId = await send(stack, channel.token, { title: 'Deploy <v2> to production?', body: 'Version 2.1.0 & friends', priority: 'high', actions: DEPLOY_ACTIONS });

    await waitFor(
      () => fakes.smtp.mails.length > 0 && fakes.slack.posts.length > 0 && fakes.discord.posts.length > 0 && fakes.apns.pushes.length > 0 && fakes.telegram.sent.length > 0 && fakes.pagerduty.events.length > 0 && fakes.webPush.received.length > 0,
      { description: 'every provider to receive the notification', timeoutMs: 30_000 },
    );
    const mail = fakes.smtp.mails[0]!;
    expect(mail).toMatchObject({ to: ['oncall@example.test'], subject: 'Deploy <v2> to production?' });
    expect(mail.html).toContain('Deploy &lt;v2&gt; to production?');
    expect(mail.html).toMatch(new RegExp(`${stack.url}/r/[^"]+\\?action=deploy`));
    expect(JSON.stringify(fakes.slack.posts[0]!.payload)).toContain('?action=deploy');
    expect(fakes.apns.pushes[0]).toMatchObject({ deviceToken: DEVICE, headers: { 'apns-topic': 'com.example.ops', 'apns-priority': '10' }, payload: { message_id: messageId } });
    expect(fakes.telegram.sent[0]!.inlineKeyboard?.map((row) => row[0]!.text)).toEqual(['Deploy', 'Cancel']);
    expect(fakes.pagerduty.incident(fakes.pagerduty.events[0]!.dedup_key!)).toMatchObject({ state: 'triggered' });
    expect(fakes.webPush.received[0]!.payload).toMatchObject({ title: 'Deploy <v2> to production?', message_id: messageId });

    const deliveries = await waitFor(async () => {
      const all = (await readMessage(channel, messageId)).deliveries;
      return all.length === 8 && all.every((d) => d.status === 'delivered') && all;
    }, { description: 'eight deliveries delivered' });
    expect(deliveries.map((d) => d.type).sort()).toEqual(['apns', 'discord', 'email', 'pagerduty', 'slack', 'telegram', 'web', 'web_push']);
    for (const delivery of deliveries.filter((d) => d.type !== 'web')) expect(delivery.attempt_log).toEqual([expect.objectContaining({ attempt: 1, outcome: 'delivered' })]);
    expect(deliveries.find((d) => d.type === 'email')!.recipient).toBe('oncall@example.test');
    expect(JSON.stringify(deliveries)).not.toContain(routingKey);
  });

  test('when the person presses Deploy under the Telegram message, then the seed\'s bash poll loop gets submitted, the Telegram message shows the answer and the PagerDuty incident resolves', async () => {
    const routingKey = fakes.pagerduty.addRoutingKey();
    const channel = await createChannel(stack, [
      { type: 'telegram', chat_id: CHAT },
      { type: 'pagerduty', routing_key: routingKey },
    ]);
    const sentBefore = fakes.telegram.sent.length;
    const script = runClient('bash', [path.join(__dirname, '..', 'seed-clients', 'complete-example.sh')], { PINGBACK_TOKEN: channel.token, PINGBACK_API: stack.url }, 45_000);

    const message = await waitFor(() => fakes.telegram.sent[sentBefore], { description: 'the Telegram message' });
    const incident = await waitFor(() => fakes.pagerduty.events.find((event) => event.routing_key === routingKey), { description: 'the PagerDuty trigger' });
    const deploy = message.inlineKeyboard![0]![0]!;
    expect(deploy.text).toBe('Deploy');
    const status = await fakes.telegram.pressButton(
      { chatId: CHAT, messageId: message.messageId, callbackData: deploy.callback_data!, from: { id: 7, username: 'oncall' } },
      { url: `${stack.url}/v1/telegram/${fakes.telegramWebhookSecret}`, secretToken: fakes.telegramWebhookSecret },
    );
    expect(status).toBe(200);

    const result = await script;
    expect(result.stdout).toBe('📱 Notification sent. Waiting for approval...\n✅ Approved! Starting deployment...\n');
    expect(result.code).toBe(0);
    const edited = await waitFor(() => fakes.telegram.edits.find((edit) => edit.messageId === message.messageId), { description: 'the Telegram message edited' });
    expect(edited.text).toContain('Answered');
    expect(edited.inlineKeyboard ?? []).toEqual([]);
    await waitFor(() => fakes.pagerduty.incident(incident.dedup_key!)?.state === 'resolved', { description: 'the incident resolved' });
    expect(fakes.telegram.callbackAnswers.at(-1)).toMatchObject({ text: 'Answered.' });
  });

  test('when a button press comes with a wrong secret, then it is 404 and answers nothing', async () => {
    const channel = await createChannel(stack, [{ type: 'telegram', chat_id: CHAT }]);
    const sentBefore = fakes.telegram.sent.length;
    const messageId = await send(stack, channel.token, { title: 'Restart?', actions: DEPLOY_ACTIONS });
    const message = await waitFor(() => fakes.telegram.sent[sentBefore], { description: 'the Telegram message' });
    const press = { chatId: CHAT, messageId: message.messageId, callbackData: message.inlineKeyboard![0]![0]!.callback_data!, from: { id: 7 } };
    expect(await fakes.telegram.pressButton(press, { url: `${stack.url}/v1/telegram/${'x'.repeat(32)}`, secretToken: 'x'.repeat(32) })).toBe(404);
    const poll = await request<{ status: string }>(`${stack.url}/v1/callback/${channel.token}/${messageId}`);
    expect(poll.body.status).toBe('pending');
  });

  test('when a destination of a provider is added, then its secret is never shown in full', async () => {
    const channel = await createChannel(stack);
    const routingKey = fakes.pagerduty.addRoutingKey();
    const added = await request<Record<string, unknown>>(`${stack.url}/api/channels/${channel.channelId}/destinations`, {
      body: { type: 'pagerduty', routing_key: routingKey },
      headers: { authorization: `Bearer ${channel.apiKey}` },
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ type: 'pagerduty', routing_key: `…${routingKey.slice(-4)}`, active: true });
    const listed = await request(`${stack.url}/api/channels/${channel.channelId}/destinations`, { headers: { authorization: `Bearer ${channel.apiKey}` } });
    expect(JSON.stringify(listed.body)).not.toContain(routingKey);
  });
});
