import path from 'node:path';
import { request } from '../support/api';
import { startProviderFakes, type ProviderFakes } from '../support/provider-fakes';
import { pythonWithRequests, runClient } from '../support/run-client';
import { APPROVAL_SERVICES, startStack, type Stack } from '../support/stack';
import { accountWithReviewer, buttonLink, createApproval, mailAbout, readApproval, submitDecisionForm, type ApprovalAccount } from './approval-support';

const SCRIPT = path.join(__dirname, '..', 'seed-clients', 'seed_002_approvals.py');
const MAILBOX = 'alice@example.test';

let fakes: ProviderFakes;
let stack: Stack;
let python: string;
let account: ApprovalAccount;

beforeAll(async () => {
  python = pythonWithRequests();
  fakes = await startProviderFakes([MAILBOX]);
  stack = await startStack(fakes.env, APPROVAL_SERVICES);
  account = await accountWithReviewer(stack, 'Alice', MAILBOX);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await fakes?.close();
});

/** Seed 002's `request_approval`, unchanged but for BASE_URL and the key, run to its end. */
const requestApproval = (context: string, timeout: number, action: 'deny' | 'approve') =>
  runClient(python, [SCRIPT, context, String(timeout), action], { PINGBACK_KEY: account.apiKey, PINGBACK_API: stack.url }, 60_000);

function returned(run: { code: number | null; stdout: string; stderr: string }): boolean {
  expect(run).toMatchObject({ code: 0, stderr: '' });
  const last = run.stdout.trimEnd().split('\n').at(-1)!;
  return (JSON.parse(last) as { approved: boolean }).approved;
}

describe("seed 002's request_approval, decided through the emailed link", () => {
  test('when the reviewer opens the emailed Approve link and confirms, then request_approval returns True', async () => {
    const run = requestApproval('Publish article: Q4 Earnings Report', 300, 'deny');
    const mail = await mailAbout(fakes.smtp, MAILBOX, 'Q4 Earnings Report');
    expect(mail.text).toContain('Publish article: Q4 Earnings Report');
    const link = buttonLink(mail, 'Approve');

    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Publish article: Q4 Earnings Report');
    const pending = await request<{ data: { status: string; context: string }[] }>(`${stack.url}/api/approvals?status=pending&key=${account.apiKey}`);
    expect(pending.body.data.map((a) => a.context)).toContain('Publish article: Q4 Earnings Report');

    expect((await submitDecisionForm(link, 'Looks good, proceed!')).status).toBe(200);
    expect(returned(await run)).toBe(true);
    const [decided] = (await request<{ data: Record<string, unknown>[] }>(`${stack.url}/api/approvals?key=${account.apiKey}`)).body.data;
    expect(decided).toMatchObject({ status: 'approved', result: 1, notes: 'Looks good, proceed!', decided_by: 'Alice' });
  });

  test('when the reviewer confirms the emailed Deny link, then request_approval returns False', async () => {
    const run = requestApproval('Delete the staging database', 300, 'approve');
    const mail = await mailAbout(fakes.smtp, MAILBOX, 'Delete the staging database');
    expect((await submitDecisionForm(buttonLink(mail, 'Deny'))).status).toBe(200);
    expect(returned(await run)).toBe(false);
  });

  test('when no one answers a 2-second approval whose default is deny, then request_approval returns False', async () => {
    expect(returned(await requestApproval('Nobody will answer this', 2, 'deny'))).toBe(false);
    const [expired] = (await request<{ data: Record<string, unknown>[] }>(`${stack.url}/api/approvals?key=${account.apiKey}`)).body.data;
    expect(expired).toMatchObject({ context: 'Nobody will answer this', status: 'expired', result: 0, decided_by: 'timeout' });
  });
});

describe('the timeout action and the limits', () => {
  test('when timeout_action is approve and the deadline passes, then the result is 1 with status expired', async () => {
    const created = await createApproval(stack, account.apiKey, { context: 'Auto-approve after a second', timeout_seconds: 1, timeout_action: 'approve' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ approval_id: expect.stringMatching(/^apr_/), status: 'pending', result: null, expires_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) });
    const waited = await readApproval(stack, account.apiKey, created.body.approval_id, '&wait=5');
    expect(waited.body).toMatchObject({ status: 'expired', result: 1, decided_by: 'timeout' });
  });

  test.each([0, 86_401, 1.5, '60'])('when timeout_seconds is %p, then the create is 400 validation_failed naming the field', async (timeout) => {
    const created = await createApproval(stack, account.apiKey, { context: 'Out of range', timeout_seconds: timeout });
    expect(created.status).toBe(400);
    expect(created.body).toMatchObject({ error: 'validation_failed', fields: [expect.objectContaining({ path: 'timeout_seconds' })] });
  });

  test('when the context is missing, too long or holds a NUL, then the create is 400 validation_failed', async () => {
    for (const context of [undefined, '', '   ', 'x'.repeat(4_001), 'a\u0000b']) {
      const created = await createApproval(stack, account.apiKey, { context });
      expect(created.status).toBe(400);
      expect(created.body).toMatchObject({ error: 'validation_failed', fields: [expect.objectContaining({ path: 'context' })] });
    }
  });

  test('when a pending approval is read, then it says seconds_remaining and result null', async () => {
    const created = await createApproval(stack, account.apiKey, { context: 'Still open' });
    const read = await readApproval(stack, account.apiKey, created.body.approval_id);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ approval_id: created.body.approval_id, status: 'pending', result: null, seconds_remaining: expect.any(Number) });
    expect(read.body.seconds_remaining).toBeGreaterThan(290);
    expect(read.body.seconds_remaining).toBeLessThanOrEqual(300);
  });

  test('when a create is retried with the same Idempotency-Key, then it answers the same approval and asks the reviewer once', async () => {
    const key = `retry-${Date.now()}`;
    const [first, second] = await Promise.all([
      createApproval(stack, account.apiKey, { context: 'Idempotent request' }, { 'idempotency-key': key }),
      createApproval(stack, account.apiKey, { context: 'Idempotent request' }, { 'idempotency-key': key }),
    ]);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.approval_id).toBe(first.body.approval_id);
    const all = await request<{ data: { approval_id: string; context: string }[] }>(`${stack.url}/api/approvals?key=${account.apiKey}&limit=100`);
    expect(all.body.data.filter((a) => a.context === 'Idempotent request')).toHaveLength(1);
  });
});
