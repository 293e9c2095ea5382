import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { newId } from '@pingback/security';
import { startTelegramFake, type TelegramFake } from '@pingback/testing';
import type { DestinationAdapter, OutgoingNotification } from '../../src/adapters/adapter';
import { answerCallbackQuery, createTelegramAdapter } from '../../src/adapters/telegram.adapter';
import { decodeCallbackData, encodeCallbackData } from '@pingback/contracts';
import { sampleNotification } from './support/sample-notification';
import { APPROVE_URL, DENY_URL, decisionButtons } from './support/decision-buttons';

const CHAT_ID = 424242;

let fake: TelegramFake;
let adapter: DestinationAdapter<{ chat_id: string }>;

beforeEach(async () => {
  fake = await startTelegramFake();
  fake.addChat(CHAT_ID);
  adapter = createTelegramAdapter({ botToken: fake.botToken, apiUrl: fake.url, timeoutMs: 2_000 });
});

afterEach(async () => {
  await adapter.close();
  await fake.close();
});

function notification(overrides: Partial<OutgoingNotification> = {}): OutgoingNotification {
  // Ids of the real shape: the keyboard's callback_data and the incident's dedup_key are built from them.
  const deliveryId = newId('dlv_');
  return sampleNotification({
    messageId: newId('msg_'),
    deliveryId,
    channelId: newId('ch_'),
    title: 'Deploy api to production?',
    body: 'Build 1234 passed & is ready',
    priority: 'normal',
    respondUrl: `https://pingback.example/r/${deliveryId}.signature`,
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    ...overrides,
  });
}

describe('telegram adapter against the Bot API fake', () => {
  test('when a message with buttons is sent, then the chat shows the bold title, the body and one callback button per action that decodes back to the delivery', async () => {
    const sent = notification();

    const result = await adapter.send({ chat_id: String(CHAT_ID) }, sent);

    expect(result).toMatchObject({ kind: 'delivered', providerRef: { chat_id: String(CHAT_ID), message_id: '1' } });
    const [message] = fake.sent;
    expect(message).toMatchObject({ chatId: CHAT_ID, parseMode: 'HTML', text: 'Deploy api to production?\nBuild 1234 passed & is ready' });
    expect(message!.html).toBe('<b>Deploy api to production?</b>\nBuild 1234 passed &amp; is ready');
    expect(message!.inlineKeyboard).toEqual([
      [{ text: 'Approve', callback_data: `${sent.deliveryId}:0` }],
      [{ text: 'Reject', callback_data: `${sent.deliveryId}:1` }],
    ]);
    const pressed = message!.inlineKeyboard!.map(([button]) => decodeCallbackData(button!.callback_data));
    expect(pressed).toEqual([
      { deliveryId: sent.deliveryId, actionIndex: 0 },
      { deliveryId: sent.deliveryId, actionIndex: 1 },
    ]);
    expect(adapter.recipient({ chat_id: String(CHAT_ID) })).toBe(String(CHAT_ID));
  });

  test('when the message also has select or text inputs, then an "Open" link to the respond page follows the buttons, whose index is the action position', async () => {
    const sent = notification({
      actions: [
        { type: 'select', label: 'Environment', key: 'env', options: [{ label: 'Production', value: 'prod' }] },
        { type: 'button', label: 'Deploy', key: 'deploy' },
        { type: 'text', label: 'Reason', key: 'reason' },
      ],
    });

    await adapter.send({ chat_id: String(CHAT_ID) }, sent);

    expect(fake.sent[0]!.inlineKeyboard).toEqual([[{ text: 'Deploy', callback_data: `${sent.deliveryId}:1` }], [{ text: 'Open', url: sent.respondUrl }]]);
  });

  test('when buttons carry their own links, then the chat shows them as link buttons and the others still as callback buttons', async () => {
    const sent = notification({ actions: decisionButtons() });

    const result = await adapter.send({ chat_id: String(CHAT_ID) }, sent);

    expect(result.kind).toBe('delivered');
    expect(fake.sent[0]!.inlineKeyboard).toEqual([
      [{ text: 'Approve', url: APPROVE_URL }],
      [{ text: 'Deny', url: DENY_URL }],
      [{ text: 'Snooze', callback_data: `${sent.deliveryId}:2` }],
    ]);
  });

  test('when the title holds <script>, then it is escaped and shown as text, not refused', async () => {
    const result = await adapter.send({ chat_id: String(CHAT_ID) }, notification({ title: '<script>alert(1)</script> & <b>', body: null }));

    expect(result.kind).toBe('delivered');
    expect(fake.sent[0]!.text).toBe('<script>alert(1)</script> & <b>');
  });

  test('when the body is longer than Telegram allows, then it is cut to fit and the message is delivered', async () => {
    const result = await adapter.send({ chat_id: String(CHAT_ID) }, notification({ body: 'x'.repeat(5_000) }));

    expect(result.kind).toBe('delivered');
    expect(fake.sent[0]!.text).toHaveLength(4096);
    expect(fake.sent[0]!.text.endsWith('…')).toBe(true);
  });

  test('when the chat is unknown, then the delivery fails with CHAT_NOT_FOUND', async () => {
    const result = await adapter.send({ chat_id: '777' }, notification());

    expect(result).toEqual({ kind: 'failed', code: 'CHAT_NOT_FOUND', message: 'Telegram refused the message: Bad Request: chat not found' });
    expect(fake.sent).toHaveLength(0);
  });

  test('when the person blocked the bot, then the delivery fails with BOT_BLOCKED', async () => {
    fake.blockBot(CHAT_ID);

    expect(await adapter.send({ chat_id: String(CHAT_ID) }, notification())).toMatchObject({ kind: 'failed', code: 'BOT_BLOCKED' });
  });

  test('when the bot token is wrong, then the delivery fails with AUTH_REJECTED and the message never names the token', async () => {
    const wrongToken = '123:wrong-token-value';
    const wrong = createTelegramAdapter({ botToken: wrongToken, apiUrl: fake.url });
    try {
      const result = await wrong.send({ chat_id: String(CHAT_ID) }, notification());
      expect(result).toMatchObject({ kind: 'failed', code: 'AUTH_REJECTED' });
      expect(JSON.stringify(result)).not.toContain(wrongToken);
    } finally {
      await wrong.close();
    }
  });

  test('when Telegram answers 429, then the attempt is retried no sooner than its retry_after', async () => {
    fake.rateLimit(CHAT_ID, 1, 7);

    const first = await adapter.send({ chat_id: String(CHAT_ID) }, notification());
    const second = await adapter.send({ chat_id: String(CHAT_ID) }, notification());

    expect(first).toEqual({ kind: 'retry', code: 'RATE_LIMITED', message: 'Telegram: Too Many Requests: retry after 7', retryAfterMs: 7_000 });
    expect(second.kind).toBe('delivered');
  });

  test('when Telegram does not answer in time, then the attempt is retried with TIMEOUT', async () => {
    const impatient = createTelegramAdapter({ botToken: fake.botToken, apiUrl: fake.url, timeoutMs: 300 });
    fake.hang();
    try {
      expect(await impatient.send({ chat_id: String(CHAT_ID) }, notification())).toEqual({
        kind: 'retry',
        code: 'TIMEOUT',
        message: 'Telegram did not respond within 0.3 seconds',
      });
    } finally {
      await impatient.close();
    }
  });

  test('when the message is answered, then showAnswer edits it to add the answer and removes the keyboard', async () => {
    const sent = notification({
      actions: [
        { type: 'button', label: 'Approve', key: 'approve' },
        { type: 'select', label: 'Environment', key: 'env', options: [{ label: 'Production', value: 'prod' }] },
      ],
    });
    const result = await adapter.send({ chat_id: String(CHAT_ID) }, sent);
    if (result.kind !== 'delivered' || !result.providerRef) throw new Error(`not delivered: ${JSON.stringify(result)}`);

    const answer = { triggeredBy: 'approve', responses: { env: 'prod' }, answeredAt: '2025-01-15T10:30:05Z' };
    await adapter.showAnswer!({ chat_id: String(CHAT_ID) }, result.providerRef, answer);
    // Shown twice (a redelivered event): Telegram says "not modified", which is already done.
    await adapter.showAnswer!({ chat_id: String(CHAT_ID) }, result.providerRef, answer);

    const shown = fake.message(CHAT_ID, Number(result.providerRef.message_id));
    expect(shown).toMatchObject({
      text: 'Deploy api to production?\nBuild 1234 passed & is ready\n\n✅ Answered: Approve (Environment: Production) at 2025-01-15 10:30 UTC',
      inlineKeyboard: null,
    });
    expect(fake.edits).toHaveLength(1);
  });

  test('when a person presses a button, then the webhook receives the Update with the secret header, and the press can be acknowledged', async () => {
    const received: { secret: string | undefined; update: { callback_query: { id: string; data: string; from: { username: string } } } }[] = [];
    const gateway = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ secret: request.headers['x-telegram-bot-api-secret-token'] as string | undefined, update: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        response.end();
      });
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    try {
      const webhookUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/telegram`;
      const setWebhook = await fetch(`${fake.url}/bot${fake.botToken}/setWebhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: webhookUrl, secret_token: 'hook-secret' }),
      });
      expect(await setWebhook.json()).toMatchObject({ ok: true, result: true });
      const sent = notification();
      const result = await adapter.send({ chat_id: String(CHAT_ID) }, sent);
      if (result.kind !== 'delivered' || !result.providerRef) throw new Error('not delivered');

      const status = await fake.pressButton({
        chatId: CHAT_ID,
        messageId: Number(result.providerRef.message_id),
        callbackData: encodeCallbackData(sent.deliveryId, 1),
        from: { id: 99, username: 'alice' },
      });

      expect(status).toBe(200);
      const [{ secret, update }] = received as [(typeof received)[number]];
      expect(secret).toBe('hook-secret');
      expect(update.callback_query.from.username).toBe('alice');
      expect(decodeCallbackData(update.callback_query.data)).toEqual({ deliveryId: sent.deliveryId, actionIndex: 1 });
      await answerCallbackQuery({ botToken: fake.botToken, apiUrl: fake.url }, update.callback_query.id, 'Rejected');
      expect(fake.callbackAnswers).toEqual([{ callbackQueryId: update.callback_query.id, text: 'Rejected' }]);
    } finally {
      await new Promise((resolve) => gateway.close(resolve));
    }
  });

  test('when the Bot API is given a callback_data over 64 bytes or an unbalanced tag, then it refuses the send', async () => {
    const call = (params: object) =>
      fetch(`${fake.url}/bot${fake.botToken}/sendMessage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chat_id: CHAT_ID, ...params }) }).then(
        async (response) => ({ status: response.status, body: (await response.json()) as { description: string } }),
      );

    const tooLong = await call({ text: 'hi', reply_markup: { inline_keyboard: [[{ text: 'Go', callback_data: 'x'.repeat(65) }]] } });
    const unbalanced = await call({ text: '<b>hi', parse_mode: 'HTML' });
    const unsupported = await call({ text: '<script>hi</script>', parse_mode: 'HTML' });

    expect(tooLong).toEqual({ status: 400, body: expect.objectContaining({ description: 'Bad Request: BUTTON_DATA_INVALID' }) });
    expect(unbalanced.body.description).toMatch(/^Bad Request: can't parse entities/);
    expect(unsupported.body.description).toMatch(/^Bad Request: can't parse entities: Unsupported start tag "script"/);
  });

  test.each([
    ['an empty value', ''],
    ['no index', 'dlv_01ARZ3NDEKTSV4RRFFQ69G5FAV'],
    ['a negative index', 'dlv_01ARZ3NDEKTSV4RRFFQ69G5FAV:-1'],
    ['a leading zero', 'dlv_01ARZ3NDEKTSV4RRFFQ69G5FAV:01'],
    ['another prefix', 'msg_01ARZ3NDEKTSV4RRFFQ69G5FAV:0'],
    ['more than 64 bytes', `dlv_${'A'.repeat(60)}:0`],
    ['not a string', 42],
  ])('when callback_data has %s, then decode returns null', (_case, data) => {
    expect(decodeCallbackData(data)).toBeNull();
  });
});
