import net from 'node:net';
import { startSlackFake, type SlackFake } from '@pingback/testing';
import type { OutgoingNotification } from '../../src/adapters/adapter';
import { sampleNotification } from './support/sample-notification';
import { APPROVE_URL, DENY_URL, decisionButtons } from './support/decision-buttons';
import { createSlackAdapter } from '../../src/adapters/slack.adapter';

function notification(overrides: Partial<OutgoingNotification> = {}): OutgoingNotification {
  return sampleNotification({
    title: 'Deploy prod?',
    body: 'Release <1.2> & notes: <!channel>',
    priority: 'normal',
    actions: [
      { type: 'button', label: 'Approve', key: 'approve', style: 'primary' },
      { type: 'button', label: 'Reject', key: 'reject', style: 'destructive' },
      { type: 'button', label: 'Later', key: 'later', style: 'default' },
      { type: 'select', label: 'Env', key: 'env', options: [{ label: 'EU', value: 'eu' }] },
    ],
    ...overrides,
  });
}

describe('slack adapter', () => {
  let fake: SlackFake;
  let adapter: ReturnType<typeof createSlackAdapter>;

  beforeAll(async () => {
    fake = await startSlackFake();
    adapter = createSlackAdapter({ allowPrivate: true, timeoutMs: 5_000 });
  });
  afterAll(async () => {
    await adapter.close();
    await fake.close();
  });

  test('when Slack accepts the post, then it is delivered as Block Kit with a link button per button action', async () => {
    const hook = fake.hookUrl();

    const result = await adapter.send({ url: hook }, notification());

    expect(result).toEqual({ kind: 'delivered' });
    expect(fake.refusals).toEqual([]);
    expect(fake.posts.at(-1)).toEqual({
      path: new URL(hook).pathname,
      payload: {
        text: 'Deploy prod?: Release &lt;1.2&gt; &amp; notes: &lt;!channel&gt;',
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: 'Deploy prod?', emoji: true } },
          { type: 'section', text: { type: 'mrkdwn', text: 'Release &lt;1.2&gt; &amp; notes: &lt;!channel&gt;' } },
          {
            type: 'actions',
            elements: [
              { type: 'button', text: { type: 'plain_text', text: 'Approve', emoji: true }, url: 'https://pingback.test/r/tok_abc?action=approve', action_id: 'action_0_approve', style: 'primary' },
              { type: 'button', text: { type: 'plain_text', text: 'Reject', emoji: true }, url: 'https://pingback.test/r/tok_abc?action=reject', action_id: 'action_1_reject', style: 'danger' },
              { type: 'button', text: { type: 'plain_text', text: 'Later', emoji: true }, url: 'https://pingback.test/r/tok_abc?action=later', action_id: 'action_2_later' },
              { type: 'button', text: { type: 'plain_text', text: 'Answer' }, url: 'https://pingback.test/r/tok_abc', action_id: 'answer' },
            ],
          },
          { type: 'context', elements: [{ type: 'mrkdwn', text: 'Expires <!date^1796117400^{date_short_pretty} at {time}|2026-12-01 09:30 UTC>' }] },
        ],
      },
    });
  });

  test('when buttons carry their own links, then their Slack buttons open those links and the others the respond page', async () => {
    const result = await adapter.send({ url: fake.hookUrl() }, notification({ actions: decisionButtons() }));

    expect(result).toEqual({ kind: 'delivered' });
    const blocks = fake.posts.at(-1)!.payload.blocks as { type: string; elements?: unknown[] }[];
    expect(blocks.find((block) => block.type === 'actions')!.elements).toEqual([
      { type: 'button', text: { type: 'plain_text', text: 'Approve', emoji: true }, url: APPROVE_URL, action_id: 'action_0_approve', style: 'primary' },
      { type: 'button', text: { type: 'plain_text', text: 'Deny', emoji: true }, url: DENY_URL, action_id: 'action_1_deny', style: 'danger' },
      { type: 'button', text: { type: 'plain_text', text: 'Snooze', emoji: true }, url: 'https://pingback.test/r/tok_abc?action=snooze', action_id: 'action_2_snooze' },
    ]);
  });

  test('when the message is over Block Kit limits, then it is cut to fit and Slack takes it', async () => {
    const buttons = Array.from({ length: 30 }, (_, i) => ({ type: 'button' as const, label: `Option ${i} ${'x'.repeat(80)}`, key: `k${i}` }));

    const result = await adapter.send({ url: fake.hookUrl() }, notification({ title: 'T'.repeat(300), body: '<'.repeat(2000), actions: buttons }));

    expect(result).toEqual({ kind: 'delivered' });
    const blocks = fake.posts.at(-1)!.payload.blocks as { type: string; text?: { text: string }; elements?: { url: string }[] }[];
    expect(blocks[0]!.text!.text).toHaveLength(150);
    expect(blocks[1]!.text!.text).toMatch(/^(&lt;){749}…$/);
    expect(blocks[2]!.elements).toHaveLength(25);
    expect(blocks[2]!.elements!.at(-1)!.url).toBe('https://pingback.test/r/tok_abc');
  });

  test('when Slack answers 429 with Retry-After, then the send is retried no sooner than it asked', async () => {
    fake.misbehave({ kind: 'rate_limited', retryAfterSeconds: 7 });

    const result = await adapter.send({ url: fake.hookUrl() }, notification());

    expect(result).toEqual({ kind: 'retry', code: 'RATE_LIMITED', message: 'Slack answered 429: rate_limited', retryAfterMs: 7_000 });
  });

  test('when Slack answers 500, then the send is retried', async () => {
    fake.misbehave({ kind: 'server_error' });

    expect(await adapter.send({ url: fake.hookUrl() }, notification())).toMatchObject({ kind: 'retry', code: 'PROVIDER_ERROR' });
  });

  test('when the webhook was removed (404 no_service), then the delivery fails for good and the destination is switched off', async () => {
    const removed = `${fake.url}/services/T000/B000/gone`;

    const result = await adapter.send({ url: removed }, notification());

    expect(result).toEqual({ kind: 'failed', code: 'WEBHOOK_GONE', message: 'Slack answered 404: no_service', deactivate: true });
  });

  test('when Slack never answers within the time limit, then the send is retried as TIMEOUT', async () => {
    const impatient = createSlackAdapter({ allowPrivate: true, timeoutMs: 500 });
    fake.misbehave({ kind: 'hang' });
    try {
      const result = await impatient.send({ url: fake.hookUrl() }, notification());

      expect(result).toEqual({ kind: 'retry', code: 'TIMEOUT', message: 'Slack did not respond within 0.5 seconds' });
    } finally {
      await impatient.close();
    }
  });

  describe('with private targets not allowed', () => {
    let connects: jest.SpyInstance;
    beforeEach(() => {
      connects = jest.spyOn(net.Socket.prototype, 'connect');
    });
    afterEach(() => connects.mockRestore());

    test('when the hook is a literal private address, then it is refused before any connection is attempted', async () => {
      const strict = createSlackAdapter({ allowPrivate: false, timeoutMs: 2_000 });

      const result = await strict.send({ url: 'https://10.0.0.1/services/T000/B000/secret' }, notification());

      expect(result).toEqual({ kind: 'failed', code: 'UNSAFE_URL', message: 'webhook URL refused: address 10.0.0.1 is not public (private)' });
      expect(connects).not.toHaveBeenCalled();
      await strict.close();
    });

    test('when the hook name resolves to a private address, then the guarded agent refuses it at connect time', async () => {
      const resolver = jest.fn(async (_host: string) => ['10.0.0.1']);
      const strict = createSlackAdapter({ allowPrivate: false, timeoutMs: 2_000, resolver });

      const result = await strict.send({ url: 'https://hooks.slack.example.com/services/T000/B000/secret' }, notification());

      expect(result).toEqual({ kind: 'failed', code: 'UNSAFE_URL', message: 'webhook URL refused: address 10.0.0.1 is not public (private)' });
      expect(resolver).toHaveBeenCalledWith('hooks.slack.example.com');
      // The socket was made and asked the guarded lookup for an address; the refusal came before any was dialled.
      expect(connects).toHaveBeenCalled();
      await strict.close();
    });
  });

  test('the fake refuses what Slack refuses', async () => {
    const hook = fake.hookUrl();
    const post = async (body: unknown) => {
      const response = await fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return `${response.status} ${await response.text()}`;
    };
    const header = (text: string) => ({ type: 'header', text: { type: 'plain_text', text } });
    const button = (extra: Record<string, unknown>) => ({ type: 'button', text: { type: 'plain_text', text: 'Go' }, url: 'https://x.test', ...extra });

    expect(await post({})).toBe('400 no_text');
    expect(await post({ blocks: [header('h'.repeat(151))] })).toBe('400 invalid_blocks');
    expect(await post({ blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }] })).toBe('400 invalid_blocks');
    expect(await post({ blocks: [{ type: 'banner' }] })).toBe('400 invalid_blocks');
    expect(await post({ blocks: [{ type: 'actions', elements: [button({ style: 'default' })] }] })).toBe('400 invalid_blocks');
    expect(await post({ blocks: [{ type: 'actions', elements: [button({ action_id: 'a' }), button({ action_id: 'a' })] }] })).toBe('400 invalid_blocks');
    expect(await post({ blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) })).toBe('400 invalid_blocks');
    expect(await post({ blocks: [header('ok')] })).toBe('200 ok');
    expect(fake.posts.filter((accepted) => hook.endsWith(accepted.path))).toHaveLength(1);
  });

  test('recipient shows only the last four characters of the hook path', () => {
    expect(adapter.recipient({ url: 'https://hooks.slack.com/services/T000/B000/abcdefWXYZ' })).toBe('slack webhook …WXYZ');
  });
});
