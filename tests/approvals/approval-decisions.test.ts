import { busyConnections } from '@pingback/testing';
import { request } from '../support/api';
import { startProviderFakes, type ProviderFakes } from '../support/provider-fakes';
import { APPROVAL_SERVICES, startStack, type Stack } from '../support/stack';
import { accountWithReviewer, buttonLink, createApproval, mailAbout, readApproval, submitDecisionForm, type ApprovalAccount } from './approval-support';

const MAILBOX = 'bob@example.test';

let fakes: ProviderFakes;
let stack: Stack;
let account: ApprovalAccount;

beforeAll(async () => {
  fakes = await startProviderFakes([MAILBOX]);
  // A minute between rechecks: a waiting poll that answers sooner was woken by the decision itself.
  stack = await startStack({ ...fakes.env, PINGBACK_APPROVAL_WAIT_RECHECK_MS: '60000' }, APPROVAL_SERVICES);
  account = await accountWithReviewer(stack, 'Bob', MAILBOX);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await fakes?.close();
});

const decide = (id: string, body: Record<string, unknown>) => request<Record<string, unknown>>(`${stack.url}/api/approvals/${id}/decide?key=${account.apiKey}`, { body });

async function pendingApproval(context: string): Promise<string> {
  const created = await createApproval(stack, account.apiKey, { context });
  expect(created.status).toBe(201);
  return created.body.approval_id;
}

describe('exactly one final state', () => {
  test('when 20 decisions arrive at once, then one wins and 19 get 409 already_decided with the final state', async () => {
    const id = await pendingApproval('Twenty deciders');
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => decide(id, { decision: i % 2 === 0 ? 'approve' : 'deny', notes: `decider ${i}` })));
    const winners = answers.filter((a) => a.status === 200);
    const losers = answers.filter((a) => a.status === 409);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(19);
    const final = (await readApproval(stack, account.apiKey, id)).body;
    expect(winners[0]!.body).toMatchObject({ status: final.status, result: final.result, notes: final.notes });
    for (const loser of losers) expect(loser.body).toMatchObject({ error: 'already_decided', approval_id: id, status: final.status, result: final.result, notes: final.notes });
  });

  test('when an API decision names the key, then decided_by is the API key name and decided_at is set', async () => {
    const id = await pendingApproval('Decided by the dashboard');
    const decided = await decide(id, { decision: 'deny', notes: 'Not today' });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ status: 'denied', result: 0, notes: 'Not today', decided_by: expect.any(String), decided_via: 'api', decided_at: expect.stringMatching(/Z$/) });
  });

  test('when a decision is not approve or deny, then it is 400 validation_failed and the approval stays pending', async () => {
    const id = await pendingApproval('Bad decision body');
    for (const body of [{}, { decision: 'maybe' }, { decision: 'approve', notes: 'x'.repeat(2_001) }, { decision: 'approve', notes: 'a\u0000b' }]) {
      const answer = await decide(id, body);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: 'validation_failed' });
    }
    expect((await readApproval(stack, account.apiKey, id)).body).toMatchObject({ status: 'pending', result: null });
  });
});

describe('the emailed decision links', () => {
  test('when a mail scanner opens both links, then nothing is decided; an altered link is refused; a reused link gets 409', async () => {
    const id = await pendingApproval('Scanner-proof links');
    const mail = await mailAbout(fakes.smtp, MAILBOX, 'Scanner-proof links');
    const approve = buttonLink(mail, 'Approve');
    const deny = buttonLink(mail, 'Deny');
    for (const link of [approve, deny, approve]) {
      expect((await fetch(link)).status).toBe(200);
      expect((await fetch(link, { method: 'HEAD' })).status).toBe(200);
    }
    expect((await readApproval(stack, account.apiKey, id)).body).toMatchObject({ status: 'pending' });

    const token = approve.slice(approve.lastIndexOf('/') + 1);
    const forged = [
      approve.replace(token, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`),
      approve.replace(token, decodeURIComponent(token).replace('~approve', '~deny')),
      approve.replace(token, decodeURIComponent(deny.slice(deny.lastIndexOf('/') + 1)).replace('~deny', '~approve')),
    ];
    for (const link of forged) {
      expect((await fetch(link)).status).toBe(404);
      expect((await submitDecisionForm(link)).status).toBe(404);
    }
    expect((await readApproval(stack, account.apiKey, id)).body).toMatchObject({ status: 'pending' });

    expect((await submitDecisionForm(deny, 'No')).status).toBe(200);
    const reused = await submitDecisionForm(deny, 'No again');
    expect(reused.status).toBe(409);
    const other = await fetch(approve, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(other.status).toBe(409);
    expect(await other.json()).toMatchObject({ error: 'already_decided', status: 'denied', result: 0 });
    expect((await readApproval(stack, account.apiKey, id)).body).toMatchObject({ status: 'denied', result: 0, notes: 'No', decided_by: 'Bob' });
  });

  test('when the reviewer is told the outcome, then a "decided" mail names who decided', async () => {
    const id = await pendingApproval('Tell me how it ended');
    expect((await decide(id, { decision: 'approve' })).status).toBe(200);
    const note = await mailAbout(fakes.smtp, MAILBOX, 'Approved: Tell me how it ended');
    expect(note.text).toContain('Approved by');
  });

  test('when the reviewer answers the message on its respond page with approve, then the approval is approved by them', async () => {
    const id = await pendingApproval('Answered on the respond page');
    const mail = await mailAbout(fakes.smtp, MAILBOX, 'Answered on the respond page');
    const messages = await request<{ data: { id: string; title: string }[] }>(`${stack.url}/api/messages?limit=100`, { headers: { authorization: `Bearer ${account.apiKey}` } });
    const message = messages.body.data.find((m) => m.title.includes('Answered on the respond page'))!;
    const detail = await request<{ deliveries: { type: string; respond_url: string }[] }>(`${stack.url}/api/messages/${message.id}`, { headers: { authorization: `Bearer ${account.apiKey}` } });
    const web = detail.body.deliveries.find((d) => d.type === 'web')!;
    expect((await request(web.respond_url, { body: { triggered_by: 'approve', responses: { note: 'From the inbox' } } })).status).toBe(201);
    const decided = await readApproval(stack, account.apiKey, id, '&wait=10');
    expect(decided.body).toMatchObject({ status: 'approved', result: 1, notes: 'From the inbox', decided_by: 'Bob' });
    expect(mail.subject).toContain('Approval needed');
  });
});

describe('polls that wait (?wait=N)', () => {
  test('when a poll waits and a decision comes, then it answers with the decision, woken by it', async () => {
    const id = await pendingApproval('Wake me when decided');
    const waiting = readApproval(stack, account.apiKey, id, '&wait=10');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await decide(id, { decision: 'approve' })).status).toBe(200);
    // The recheck interval is a minute: only the wake-up can end this wait before its 10 s with the decision.
    expect((await waiting).body).toMatchObject({ status: 'approved', result: 1 });
  });

  test('when 200 polls wait at once, then they hold no database connection, other requests go on, and all wake on the decision', async () => {
    const id = await pendingApproval('Two hundred waiters');
    const waiting = Array.from({ length: 200 }, () => readApproval(stack, account.apiKey, id, '&wait=20'));
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await busyConnections(stack.env.DATABASE_URL!)).toBeLessThanOrEqual(2);
    const other = await pendingApproval('Created while two hundred wait');
    expect((await readApproval(stack, account.apiKey, other)).status).toBe(200);
    expect((await decide(id, { decision: 'deny' })).status).toBe(200);
    const answers = await Promise.all(waiting);
    expect(answers.every((a) => a.status === 200 && a.body.status === 'denied' && a.body.result === 0)).toBe(true);
  });

  test.each(['-1', '31', 'abc', '0x10', '1e1', ''])('when wait is %p, then the poll is 400 validation_failed', async (wait) => {
    const id = await pendingApproval(`Bad wait ${wait}`);
    const read = await readApproval(stack, account.apiKey, id, `&wait=${wait}`);
    expect(read.status).toBe(400);
    expect(read.body).toMatchObject({ error: 'validation_failed' });
  });
});
