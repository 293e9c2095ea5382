import net from 'node:net';
import { startDiscordFake, type DiscordFake } from '@pingback/testing';
import type { OutgoingNotification } from '../../src/adapters/adapter';
import { sampleNotification } from './support/sample-notification';
import { APPROVE_URL, DENY_URL, decisionButtons } from './support/decision-buttons';
import { createDiscordAdapter } from '../../src/adapters/discord.adapter';

function notification(overrides: Partial<OutgoingNotification> = {}): OutgoingNotification {
  return sampleNotification({
    title: 'Deploy prod?',
    body: 'Release 1.2 is ready @everyone',
    actions: [
      { type: 'button', label: 'Approve', key: 'approve', style: 'primary' },
      { type: 'button', label: 'Roll [back]', key: 'roll-back', style: 'destructive' },
      { type: 'text', label: 'Why?', key: 'reason' },
    ],
    ...overrides,
  });
}

interface PostedEmbed {
  title: string;
  description?: string;
  fields?: { name: string; value: string }[];
  footer: { text: string };
}

function embedSize(embed: PostedEmbed): number {
  const fields = (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0);
  return embed.title.length + (embed.description ?? '').length + fields + embed.footer.text.length;
}

describe('discord adapter', () => {
  let fake: DiscordFake;
  let adapter: ReturnType<typeof createDiscordAdapter>;

  beforeAll(async () => {
    fake = await startDiscordFake();
    adapter = createDiscordAdapter({ allowPrivate: true, timeoutMs: 5_000 });
  });
  afterAll(async () => {
    await adapter.close();
    await fake.close();
  });

  test('when Discord accepts the post, then it is delivered as one embed with a link per button and pings nobody', async () => {
    const result = await adapter.send({ url: fake.hookUrl() }, notification());

    const post = fake.posts.at(-1)!;
    expect(result).toEqual({ kind: 'delivered', providerRef: { discord_message_id: post.messageId } });
    expect(post.pingsEveryone).toBe(false);
    expect(post.payload).toEqual({
      content: 'High priority notification: an answer is requested',
      embeds: [
        {
          title: 'Deploy prod?',
          description: 'Release 1.2 is ready @everyone',
          url: 'https://pingback.test/r/tok_abc',
          color: 0xe5484d,
          fields: [
            { name: 'Approve', value: '[Approve](https://pingback.test/r/tok_abc?action=approve)', inline: true },
            { name: 'Roll [back]', value: '[Roll \\[back\\]](https://pingback.test/r/tok_abc?action=roll-back)', inline: true },
            { name: 'Answer', value: '[Answer](https://pingback.test/r/tok_abc)', inline: true },
          ],
          footer: { text: 'Expires 2026-12-01 09:30 UTC' },
        },
      ],
      allowed_mentions: { parse: [] },
    });
  });

  test('when buttons carry their own links, then their fields link there and the others to the respond page', async () => {
    const result = await adapter.send({ url: fake.hookUrl() }, notification({ actions: decisionButtons() }));

    expect(result.kind).toBe('delivered');
    const [embed] = fake.posts.at(-1)!.payload.embeds as PostedEmbed[];
    expect(embed!.fields).toEqual([
      { name: 'Approve', value: `[Approve](${APPROVE_URL})`, inline: true },
      { name: 'Deny', value: `[Deny](${DENY_URL})`, inline: true },
      { name: 'Snooze', value: '[Snooze](https://pingback.test/r/tok_abc?action=snooze)', inline: true },
    ]);
  });

  test('when the message is over the embed limits, then it is cut to fit and Discord takes it', async () => {
    const buttons = Array.from({ length: 30 }, (_, i) => ({ type: 'button' as const, label: `Option ${i} ${'x'.repeat(200)}`, key: `k${i}` }));

    const result = await adapter.send(
      { url: fake.hookUrl() },
      notification({ title: 'T'.repeat(300), body: 'b'.repeat(5000), actions: buttons, priority: 'low' }),
    );

    expect(fake.refusals).toEqual([]);
    expect(result.kind).toBe('delivered');
    const embed = (fake.posts.at(-1)!.payload.embeds as PostedEmbed[])[0]!;
    expect(embed.title).toHaveLength(256);
    expect(embed.fields!.length).toBeLessThanOrEqual(25);
    expect(embed.fields!.at(-1)).toEqual({ name: 'Answer', value: '[Answer](https://pingback.test/r/tok_abc)', inline: true });
    expect(embedSize(embed)).toBeLessThanOrEqual(6000);
  });

  test('when Discord answers 429, then the send is retried no sooner than its Retry-After', async () => {
    fake.misbehave({ kind: 'rate_limited', retryAfterSeconds: 3 });

    const result = await adapter.send({ url: fake.hookUrl() }, notification());

    expect(result).toEqual({ kind: 'retry', code: 'RATE_LIMITED', message: 'Discord answered 429: You are being rate limited.', retryAfterMs: 3_000 });
  });

  test('when the webhook was deleted (404 Unknown Webhook), then the delivery fails for good and the destination is switched off', async () => {
    fake.misbehave({ kind: 'unknown_webhook' });

    const result = await adapter.send({ url: fake.hookUrl() }, notification());

    expect(result).toEqual({ kind: 'failed', code: 'WEBHOOK_GONE', message: 'Discord answered 404: Unknown Webhook (code 10015)', deactivate: true });
  });

  test('when the webhook token is wrong, then the delivery fails for good', async () => {
    const wrongToken = fake.hookUrl().replace(/[^/]+$/, 'not-the-token');

    expect(await adapter.send({ url: wrongToken }, notification())).toMatchObject({ kind: 'failed', code: 'WEBHOOK_GONE', deactivate: true });
  });

  test('when Discord answers 500, then the send is retried', async () => {
    fake.misbehave({ kind: 'server_error' });

    expect(await adapter.send({ url: fake.hookUrl() }, notification())).toMatchObject({ kind: 'retry', code: 'PROVIDER_ERROR' });
  });

  test('when Discord never answers within the time limit, then the send is retried as TIMEOUT', async () => {
    const impatient = createDiscordAdapter({ allowPrivate: true, timeoutMs: 500 });
    fake.misbehave({ kind: 'hang' });
    try {
      const result = await impatient.send({ url: fake.hookUrl() }, notification());

      expect(result).toEqual({ kind: 'retry', code: 'TIMEOUT', message: 'Discord did not respond within 0.5 seconds' });
    } finally {
      await impatient.close();
    }
  });

  test('when the hook is a literal private address and private targets are not allowed, then it is refused before any connection', async () => {
    const strict = createDiscordAdapter({ allowPrivate: false, timeoutMs: 2_000 });
    const connects = jest.spyOn(net.Socket.prototype, 'connect');
    try {
      const result = await strict.send({ url: 'https://10.0.0.1/api/webhooks/1/token' }, notification());

      expect(result).toEqual({ kind: 'failed', code: 'UNSAFE_URL', message: 'webhook URL refused: address 10.0.0.1 is not public (private)' });
      expect(connects).not.toHaveBeenCalled();
    } finally {
      connects.mockRestore();
      await strict.close();
    }
  });

  test('the fake refuses what Discord refuses', async () => {
    const hook = fake.hookUrl();
    const post = async (body: unknown) => {
      const response = await fetch(`${hook}?wait=true`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    };

    expect(await post({ embeds: [] })).toEqual({ status: 400, json: { message: 'Cannot send an empty message', code: 50006 } });
    expect(await post({ embeds: [{ title: 't', description: 'd'.repeat(4097) }] })).toEqual({
      status: 400,
      json: {
        message: 'Invalid Form Body',
        code: 50035,
        errors: { embeds: { '0': { description: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 4096 or fewer in length.' }] } } } },
      },
    });
    const fields = Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' }));
    expect((await post({ embeds: [{ title: 't', fields }] })).status).toBe(400);
    expect((await post({ content: 'hi', allowed_mentions: { parse: ['all'] } })).status).toBe(400);
    const sixThousand = Array.from({ length: 2 }, () => ({ description: 'd'.repeat(3001) }));
    expect((await post({ embeds: sixThousand })).json).toMatchObject({ code: 50035, errors: { embeds: { _errors: [{ code: 'MAX_EMBED_SIZE_EXCEEDED' }] } } });
    expect(fake.posts.filter((accepted) => hook.includes(accepted.webhookId))).toEqual([]);
  });

  test('recipient shows only the last four characters of the hook path', () => {
    expect(adapter.recipient({ url: 'https://discord.com/api/webhooks/123/abcdefWXYZ' })).toBe('discord webhook …WXYZ');
  });
});
