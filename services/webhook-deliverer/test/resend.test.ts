import { randomUUID } from 'node:crypto';
import { DelivererRoutes, envelopeFor, webhookDeliverPublications, type OutgoingPostView, type WebhookPurpose } from '@pingback/contracts';
import { createInternalClient, type InternalClient } from '@pingback/http';
import type { RunningService } from '@pingback/runtime';
import { generateSecret, internalCallCredential } from '@pingback/security';
import { Webhook } from 'standardwebhooks';
import { callbackBody, createHarness, webhookRow, type Harness } from './support/harness';
import { startReceiver, type Receiver } from './support/receiver';
import { verifyWebhook } from '../../../tests/seed-clients/verify-webhook.cjs';

// Real: RabbitMQ (own vhost) with every retry delay cut to 50 ms through PINGBACK_RETRY_SCHEDULES, Postgres (own
// database), the deliverer in this process answering its internal port, a node:http receiver on loopback. The
// internal routes are called through the internal client, so every reply is parsed with its contract.

let harness: Harness;
let deliverer: RunningService;
let receiver: Receiver;
let internal: InternalClient;
/** Webhook-ids the receiver answers 200 for; any other gets 500. */
const healthy = new Set<string>();

beforeAll(async () => {
  harness = await createHarness();
  deliverer = await harness.startDeliverer();
  internal = createInternalClient(`http://127.0.0.1:${deliverer.healthPort}`, { credential: internalCallCredential(harness.keyring) });
  receiver = await startReceiver((request) => ({ status: healthy.has(String(request.headers['webhook-id'])) ? 200 : 500 }));
});

afterAll(async () => {
  await receiver?.close();
  await harness?.close();
});

/** An id as the services make them (`cb_…`, `evt_…`), so it is also a valid list cursor. */
const postId = (prefix = 'cb') => `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 26)}`;

/** Publishes a webhook.deliver command for `accountId`, signed by a new channel whose secret it returns. */
async function sendFor(accountId: string, options: { purpose?: WebhookPurpose; id?: string } = {}) {
  const webhookId = options.id ?? postId();
  const secret = generateSecret('whsec_');
  const signerId = `ch_${randomUUID()}`;
  harness.setSigner(signerId, [secret]);
  const body = callbackBody();
  const purpose = options.purpose ?? 'callback';
  await harness.publish(
    envelopeFor(webhookDeliverPublications[purpose], {
      webhookId,
      purpose,
      url: receiver.url,
      body,
      signer: { kind: 'channel', id: signerId },
      subject: { accountId, kind: 'message', id: String(body.message_id), refs: { channelId: signerId } },
      endpoint: null,
    }),
  );
  return { webhookId, secret, messageId: String(body.message_id) };
}

/** Sends a POST the receiver refuses on every attempt, and waits until it failed for good. */
async function failedFor(accountId: string) {
  const sent = await sendFor(accountId);
  await harness.events.waitFor('webhook.failed', sent.webhookId);
  return sent;
}

const list = (accountId: string, query: Record<string, string> = {}) =>
  internal(DelivererRoutes.listWebhooks, { query: { account_id: accountId, ...query } });
const resend = (accountId: string, id: string) => internal(DelivererRoutes.resendWebhook, { params: { id }, body: { account_id: accountId } });
const requestsOf = (id: string) => receiver.requests.filter((request) => request.headers['webhook-id'] === id);

describe('webhook-deliverer: listing and re-sending outgoing POSTs', () => {
  test('when a POST failed for good and is re-sent, then it arrives again with the same webhook-id, signed, and is listed succeeded', async () => {
    const sent = await failedFor('acc_resend');

    const failed = await list('acc_resend', { status: 'failed' });
    expect(failed.data).toEqual([
      {
        id: sent.webhookId,
        purpose: 'callback',
        url: receiver.url,
        status: 'failed',
        attempts: expect.any(Array),
        error: { code: 'http_error', message: 'the receiver answered 500' },
        subject: { kind: 'message', id: sent.messageId },
        endpoint: null,
        created_at: expect.stringMatching(/Z$/),
        settled_at: expect.stringMatching(/Z$/),
      },
    ]);
    expect(failed.next_cursor).toBeNull();
    expect(failed.data[0]!.attempts.map((attempt) => [attempt.attempt, attempt.status_code])).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => [n, 500]));
    expect(requestsOf(sent.webhookId)).toHaveLength(7);

    healthy.add(sent.webhookId);
    expect(await resend('acc_resend', sent.webhookId)).toEqual({ id: sent.webhookId, status: 'pending' });
    const [delivered] = await harness.events.waitFor('webhook.delivered', sent.webhookId);

    // The purpose's schedule from its first attempt, and the very bytes of the first round.
    expect(delivered?.payload).toMatchObject({ attempt: 1, status: 200 });
    const requests = requestsOf(sent.webhookId);
    expect(requests).toHaveLength(8);
    const again = requests[7]!;
    expect(again.body).toBe(requests[0]!.body);
    expect(verifyWebhook({ headers: again.headers, body: JSON.parse(again.body) }, sent.secret)).toBe(true);
    expect(() => new Webhook(sent.secret).verify(again.body, again.headers as Record<string, string>)).not.toThrow();

    const succeeded = await list('acc_resend', { status: 'succeeded' });
    expect(succeeded.data).toEqual([expect.objectContaining({ id: sent.webhookId, status: 'succeeded', error: null })]);
    expect(succeeded.data[0]!.attempts.map((attempt) => attempt.outcome)).toEqual([...Array<string>(7).fill('failed'), 'succeeded']);
    expect((await list('acc_resend', { status: 'failed' })).data).toEqual([]);
    const row = await webhookRow(harness.db, sent.webhookId);
    expect(row?.attemptRows.map((attempt) => attempt.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 1]);

    await expect(resend('acc_resend', sent.webhookId)).rejects.toMatchObject({ code: 'not_resendable', status: 409 });
  });

  test("when another account asks to re-send a POST, then it is not found, and the POST is not in that account's list", async () => {
    const sent = await failedFor('acc_owner');

    await expect(resend('acc_other', sent.webhookId)).rejects.toMatchObject({ code: 'not_found', status: 404 });
    await expect(resend('acc_owner', postId())).rejects.toMatchObject({ code: 'not_found', status: 404 });
    expect((await list('acc_other')).data.map((post) => post.id)).not.toContain(sent.webhookId);
    expect(await webhookRow(harness.db, sent.webhookId)).toMatchObject({ status: 'failed' });
  });

  test('when two resends of one failed POST come at once, then one is accepted, the other refused, and it is sent once', async () => {
    const sent = await failedFor('acc_race');
    healthy.add(sent.webhookId);

    const outcomes = await Promise.allSettled([resend('acc_race', sent.webhookId), resend('acc_race', sent.webhookId)]);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => (outcome as PromiseRejectedResult).reason)).toEqual([
      expect.objectContaining({ code: 'not_resendable' }),
    ]);
    await harness.events.waitFor('webhook.delivered', sent.webhookId);
    expect(requestsOf(sent.webhookId)).toHaveLength(8);
  });

  test('when a failed POST was recorded before rows kept their signer, then it cannot be re-sent and stays failed', async () => {
    const sent = await failedFor('acc_old');
    await harness.db.webhook.update({ where: { id: sent.webhookId }, data: { signerKind: null, signerId: null } });

    await expect(resend('acc_old', sent.webhookId)).rejects.toMatchObject({
      code: 'not_resendable',
      status: 409,
      message: expect.stringContaining('signer'),
    });
    expect(await webhookRow(harness.db, sent.webhookId)).toMatchObject({ status: 'failed' });
  });

  test('when an account has more POSTs than a page, then the pages list each once, newest first, and end with a null cursor', async () => {
    // Healthy before they are sent, so each succeeds on its first attempt.
    const ids = [postId(), postId('evt'), postId()];
    ids.forEach((id) => healthy.add(id));
    const sent = [];
    for (const id of ids) sent.push(await sendFor('acc_pages', { id }));
    for (const { webhookId } of sent) await harness.events.waitFor('webhook.delivered', webhookId);

    const first = await list('acc_pages', { limit: '2' });
    expect(first.data).toHaveLength(2);
    expect(first.next_cursor).toBe(first.data[1]!.id);
    const second = await list('acc_pages', { limit: '2', cursor: first.next_cursor! });
    expect(second.next_cursor).toBeNull();

    const listed: OutgoingPostView[] = [...first.data, ...second.data];
    expect(listed.map((post) => post.id).sort()).toEqual(sent.map((post) => post.webhookId).sort());
    const newestFirst = [...listed].sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id));
    expect(listed).toEqual(newestFirst);
    expect(listed.every((post) => post.status === 'succeeded' && post.attempts.length === 1)).toBe(true);
  });

  test('when the list is asked for an unknown status or cursor, then it answers 400 validation_failed', async () => {
    await expect(list('acc_pages', { status: 'bounced' })).rejects.toMatchObject({ code: 'validation_failed', status: 400 });
    await expect(list('acc_pages', { cursor: postId() })).rejects.toMatchObject({ code: 'validation_failed', status: 400 });
    await expect(list('acc_pages', { limit: '0' })).rejects.toMatchObject({ code: 'validation_failed', status: 400 });
  });
});
