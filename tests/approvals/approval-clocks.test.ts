import { createHmac } from 'node:crypto';
import { waitFor } from '@pingback/testing';
import { request } from '../support/api';
import { startProviderFakes, type ProviderFakes } from '../support/provider-fakes';
import { startReceiver, type ReceivedRequest, type Receiver } from '../support/receiver';
import { APPROVAL_SERVICES, startStack, type Stack } from '../support/stack';
import { verifyWebhook } from '../seed-clients/verify-webhook.cjs';
import { accountWithReviewer, buttonLink, createApproval, readApproval, submitDecisionForm, type ApprovalAccount } from './approval-support';

const APPROVALS = 'approval-service';
const REVIEWER_MAILBOX = 'carol@example.test';
const ESCALATION_MAILBOX = 'dave@example.test';
/** Two processes starting again beside other test files' stacks can take tens of seconds by themselves. */
const RESTART_TIMEOUT_MS = 120_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface DecidedEvent {
  event: string;
  approval_id: string;
  status: string;
  result: number;
  decided_by: string;
}

let fakes: ProviderFakes;
let stack: Stack;
let receiver: Receiver;
let account: ApprovalAccount;
let escalationReviewerId: string;

// Two approval-service processes share the durable clock: each time-out and each reminder must happen once.
beforeAll(async () => {
  fakes = await startProviderFakes([REVIEWER_MAILBOX, ESCALATION_MAILBOX]);
  stack = await startStack({ ...fakes.env, PINGBACK_DEADLINE_INTERVAL_MS: '200', PINGBACK_OUTBOX_INTERVAL_MS: '200' }, APPROVAL_SERVICES, { copies: 2, copied: ['approval-service'] });
  receiver = await startReceiver();
  account = await accountWithReviewer(stack, 'Carol', REVIEWER_MAILBOX);
  escalationReviewerId = await escalationReviewer('Dave', ESCALATION_MAILBOX);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await receiver?.close();
  await fakes?.close();
});

const bearer = () => ({ authorization: `Bearer ${account.apiKey}` });

/** A reviewer of the same account, not a default one, reached by email on a channel of their own. */
async function escalationReviewer(name: string, mailbox: string): Promise<string> {
  const channel = await request<{ id: string }>(`${stack.url}/api/channels`, { body: { name: `${name}'s mail`, destinations: [{ type: 'email', address: mailbox }] }, headers: bearer() });
  expect(channel.status).toBe(201);
  const reviewer = await request<{ id: string }>(`${stack.url}/api/reviewers`, { body: { name, channels: [channel.body.id], default: false }, headers: bearer() });
  expect(reviewer.status).toBe(201);
  return reviewer.body.id;
}

async function pendingApproval(body: Record<string, unknown>): Promise<string> {
  const created = await createApproval(stack, account.apiKey, body);
  expect(created.status).toBe(201);
  return created.body.approval_id;
}

/** The mails to `mailbox` whose subject is exactly `subject`. */
const mailsTo = (mailbox: string, subject: string) => fakes.smtp.mails.filter((mail) => mail.to.includes(mailbox) && mail.subject === subject);

const decidedEvents = (approvalId: string): ReceivedRequest[] =>
  receiver.requests.filter((r) => (r.json as DecidedEvent | undefined)?.event === 'approval.decided' && (r.json as DecidedEvent).approval_id === approvalId);

const firstDecidedEvent = (approvalId: string) =>
  waitFor(() => decidedEvents(approvalId)[0], { timeoutMs: 15_000, description: `the approval.decided event of ${approvalId}` });

const firstMail = (mailbox: string, subject: string, timeoutMs = 15_000) => waitFor(() => mailsTo(mailbox, subject)[0], { timeoutMs, description: `a mail to ${mailbox}: "${subject}"` });

describe('the approval.decided event', () => {
  test('when the timeout action applies, then the callback_url gets the event with the final state, signed with the account signing secret', async () => {
    const id = await pendingApproval({ context: 'Signed time-out', timeout_seconds: 1, timeout_action: 'approve', callback_url: `${receiver.url}/decided`, metadata: { ticket: 'T-1' } });

    const event = await firstDecidedEvent(id);

    expect(event.method).toBe('POST');
    expect(event.path).toBe('/decided');
    expect(event.json).toMatchObject({ event: 'approval.decided', approval_id: id, status: 'expired', result: 1, decided_by: 'timeout', context: 'Signed time-out', metadata: { ticket: 'T-1' } });
    const secret = await request<{ signing_secret: string }>(`${stack.url}/api/account/signing-secret`, { headers: bearer() });
    expect(secret.status).toBe(200);
    const timestamp = String(event.headers['x-pingback-timestamp']);
    expect(Math.abs(Date.now() / 1000 - Number(timestamp))).toBeLessThan(60);
    const expected = `sha256=${createHmac('sha256', secret.body.signing_secret).update(`${timestamp}.${event.rawBody}`).digest('hex')}`;
    expect(event.headers['x-pingback-signature']).toBe(expected);
    // Seed 003's verifier, as a user's Express handler would run it, agrees.
    expect(verifyWebhook({ headers: event.headers, body: JSON.parse(event.rawBody) }, secret.body.signing_secret)).toBe(true);
    expect((await readApproval(stack, account.apiKey, id)).body).toMatchObject({ status: 'expired', result: 1, decided_by: 'timeout' });
  });
});

describe('reminders and escalation with two approval-service processes', () => {
  test('when a 5-second approval gets no answer, then the reviewer is reminded once, no sooner than at 80 %, and told once that it was denied', async () => {
    const context = 'Rotate the production keys';
    const createdAt = Date.now();
    const id = await pendingApproval({ context, timeout_seconds: 5 });

    await firstMail(REVIEWER_MAILBOX, `Reminder, approval needed: ${context}`);
    expect(Date.now() - createdAt).toBeGreaterThanOrEqual(4_000);
    const decided = await firstMail(REVIEWER_MAILBOX, `Denied: ${context}`);
    expect(decided.text).toContain('time-out');
    // Both processes sweep the clock every 200 ms: still one of each.
    await sleep(1_500);
    expect(mailsTo(REVIEWER_MAILBOX, `Approval needed: ${context}`)).toHaveLength(1);
    expect(mailsTo(REVIEWER_MAILBOX, `Reminder, approval needed: ${context}`)).toHaveLength(1);
    expect(mailsTo(REVIEWER_MAILBOX, `Denied: ${context}`)).toHaveLength(1);
    expect((await readApproval(stack, account.apiKey, id)).body).toMatchObject({ status: 'expired', result: 0, decided_by: 'timeout' });
  });

  test('when an approval names an escalation reviewer, then they are asked once at 80 %, and their emailed Approve link decides it as them', async () => {
    const context = 'Refund order 4471';
    // Long enough that the escalation reviewer has 8 s left to answer after 80 %, even with the mail slowed by load.
    const id = await pendingApproval({ context, timeout_seconds: 40, escalation_reviewer: escalationReviewerId });
    await firstMail(REVIEWER_MAILBOX, `Approval needed: ${context}`);

    const asked = await firstMail(ESCALATION_MAILBOX, `Approval needed (no answer yet): ${context}`, 45_000);
    expect(asked.text).toContain(context);
    const approve = buttonLink(asked, 'Approve');
    const page = await fetch(approve);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(context);
    expect((await readApproval(stack, account.apiKey, id)).body).toMatchObject({ status: 'pending' });
    expect((await submitDecisionForm(approve, 'Escalated and fine')).status).toBe(200);

    expect((await readApproval(stack, account.apiKey, id)).body).toMatchObject({ status: 'approved', result: 1, notes: 'Escalated and fine', decided_by: 'Dave' });
    await firstMail(ESCALATION_MAILBOX, `Approved: ${context}`);
    await firstMail(REVIEWER_MAILBOX, `Approved: ${context}`);
    await sleep(1_000);
    expect(mailsTo(ESCALATION_MAILBOX, `Approval needed (no answer yet): ${context}`)).toHaveLength(1);
    // Asked only once no one had answered: not with the first reviewers.
    expect(mailsTo(ESCALATION_MAILBOX, `Approval needed: ${context}`)).toHaveLength(0);
    expect(mailsTo(REVIEWER_MAILBOX, `Reminder, approval needed: ${context}`)).toHaveLength(1);
  }, 90_000);
});

describe('a decision racing the deadline', () => {
  test('when API decisions arrive every 50 ms around a 1-second deadline, then each approval ends in one state that every answer and every read agrees on', async () => {
    // Each approval's burst starts a little later, so some end approved and some expired.
    for (const burstStartMs of [850, 900, 950, 1_000, 1_050]) {
      const createdAt = Date.now();
      const id = await pendingApproval({ context: `Race from ${burstStartMs} ms`, timeout_seconds: 1 });
      const offsets = Array.from({ length: 11 }, (_, i) => burstStartMs + i * 50);
      const answers = await Promise.all(
        offsets.map(async (offset) => {
          await sleep(createdAt + offset - Date.now());
          return request<Record<string, unknown>>(`${stack.url}/api/approvals/${id}/decide?key=${account.apiKey}`, { body: { decision: 'approve' } });
        }),
      );

      const final = (await readApproval(stack, account.apiKey, id)).body;
      const listed = (await request<{ data: Record<string, unknown>[] }>(`${stack.url}/api/approvals?limit=100`, { headers: bearer() })).body.data.find((a) => a.approval_id === id);
      expect(listed).toMatchObject({ status: final.status, result: final.result, decided_by: final.decided_by });
      // Shown with their bodies, so a failure says what the caller was told.
      expect(answers.filter((a) => a.status !== 200 && a.status !== 409).map((a) => [a.status, a.body])).toEqual([]);
      // A decision wins only before the deadline; the time-out takes effect at it.
      expect(Date.parse(String(final.decided_at))).toBeLessThanOrEqual(Date.parse(String(final.expires_at)));
      const winners = answers.filter((a) => a.status === 200);
      if (winners.length > 0) {
        expect(winners).toHaveLength(1);
        expect(final).toMatchObject({ status: 'approved', result: 1, decided_by: winners[0]!.body.decided_by });
      } else {
        expect(final).toMatchObject({ status: 'expired', result: 0, decided_by: 'timeout' });
      }
      for (const loser of answers.filter((a) => a.status === 409)) {
        expect(loser.body).toMatchObject({ error: 'already_decided', approval_id: id, status: final.status, result: final.result });
      }
    }
  });
});

describe('kill -9', () => {
  test('when every approval-service process is killed with SIGKILL while an approval is pending, then after the restart the timeout applies once: one event, one mail', async () => {
    const context = 'Ship the release candidate';
    const id = await pendingApproval({ context, timeout_seconds: 3, callback_url: `${receiver.url}/killed` });
    const pastDeadline = Date.now() + 3_500;
    const processes = stack.copies(APPROVALS);
    for (const service of processes) service.kill('SIGKILL');
    await Promise.all(processes.map((service) => service.waitForExit()));
    // Past the deadline while no approval-service runs.
    await sleep(pastDeadline - Date.now());
    expect(decidedEvents(id)).toHaveLength(0);
    await Promise.all(processes.map((_, copy) => stack.start(APPROVALS, {}, copy)));

    // No poll first: the restarted clock applies the time-out by itself.
    const event = await firstDecidedEvent(id);
    expect(event.json).toMatchObject({ event: 'approval.decided', approval_id: id, status: 'expired', result: 0, decided_by: 'timeout' });
    expect((await readApproval(stack, account.apiKey, id)).body).toMatchObject({ status: 'expired', result: 0, decided_by: 'timeout' });
    const told = await firstMail(REVIEWER_MAILBOX, `Denied: ${context}`);
    expect(told.text).toContain('time-out');
    await sleep(1_500);
    const events = decidedEvents(id);
    expect(events).toHaveLength(1);
    expect(events[0]!.headers['webhook-id']).toEqual(expect.any(String));
    expect(new Set(events.map((e) => e.headers['webhook-id'])).size).toBe(1);
    expect(mailsTo(REVIEWER_MAILBOX, `Denied: ${context}`)).toHaveLength(1);
  }, RESTART_TIMEOUT_MS);
});
