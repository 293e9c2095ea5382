import { randomUUID } from 'node:crypto';
import { createBroker, topologyOf, type Broker } from '@pingback/broker';
import { EXCHANGES, publications, subscriptions, type ApprovalRequested, type ApprovalSubject } from '@pingback/contracts';
import { createLogger } from '@pingback/observability';
import { tapExchange, waitFor, type MessageTap } from '@pingback/testing';
import { request } from '../support/api';
import { metricValue } from '../support/health';
import { startProviderFakes, type ProviderFakes } from '../support/provider-fakes';
import { APPROVAL_SERVICES, startStack, type Stack } from '../support/stack';
import { mailAbout } from './approval-support';

/**
 * approval-service opens the approvals another service asks for over the broker (`approval.requested`, as
 * workflow-tracker does when a budget's `approve` action pauses an instance) and tells it how each ended
 * (`approval.decided`). This file plays the asking service: it publishes on the commands exchange and listens on
 * the events exchange through a queue of its own.
 */

const MAILBOX = 'erin@example.test';

let fakes: ProviderFakes;
let stack: Stack;
let asker: Broker;
let decided: MessageTap;

beforeAll(async () => {
  fakes = await startProviderFakes([MAILBOX]);
  stack = await startStack({ ...fakes.env, PINGBACK_DEADLINE_INTERVAL_MS: '200', PINGBACK_OUTBOX_INTERVAL_MS: '200' }, APPROVAL_SERVICES);
  // Declares only the queue approval-service consumes, with the arguments the service gave it.
  asker = createBroker({ url: stack.env.RABBITMQ_URL!, topology: topologyOf([subscriptions.decideApprovals]), logger: createLogger('approval-asker-test', 'silent') });
  await asker.start();
  decided = await tapExchange(stack.env.RABBITMQ_URL!, EXCHANGES.events, publications.approvalDecided.routingKey);
}, 120_000);
afterAll(async () => {
  await decided?.close();
  await asker?.stop();
  await stack?.stop();
  await fakes?.close();
});

interface Account {
  id: string;
  apiKey: string;
}

async function newAccount(): Promise<Account> {
  const created = await request<{ id: string; api_key: string }>(`${stack.url}/admin/accounts`, { body: { name: 'Budget approvals' }, headers: { authorization: `Bearer ${stack.adminKey}` } });
  expect(created.status).toBe(201);
  return { id: created.body.id, apiKey: created.body.api_key };
}

/** Makes `name`, reached by email at `mailbox`, a default reviewer of the account. */
async function addDefaultReviewer(account: Account, name: string, mailbox: string): Promise<void> {
  const headers = { authorization: `Bearer ${account.apiKey}` };
  const channel = await request<{ id: string }>(`${stack.url}/api/channels`, { body: { name: `${name}'s mail`, destinations: [{ type: 'email', address: mailbox }] }, headers });
  expect(channel.status).toBe(201);
  const reviewer = await request(`${stack.url}/api/reviewers`, { body: { name, channels: [channel.body.id], default: true }, headers });
  expect(reviewer.status).toBe(201);
}

const subjectOf = (instanceId: string): ApprovalSubject => ({ service: 'workflow-tracker', kind: 'instance', id: instanceId, ref: `budget-${randomUUID()}` });

function approvalRequest(account: Account, context: string, overrides: Partial<ApprovalRequested['payload']> = {}): ApprovalRequested['payload'] {
  return {
    accountId: account.id,
    key: `approval-${randomUUID()}`,
    context,
    timeoutSeconds: 300,
    timeoutAction: 'deny',
    metadata: { workflow: 'nightly-agents' },
    subject: subjectOf(`inst_${randomUUID()}`),
    ...overrides,
  };
}

/** Publishes as the asking service does: the key is the message id too. */
const ask = (payload: ApprovalRequested['payload']) => asker.publish(publications.approvalRequested, payload, { id: payload.key });

/** Messages approval-service has handled on its queue so far (its /metrics). */
const handledByApprovals = () => metricValue(stack, 'approval-service', 'pingback_messages_acked_total', { queue: subscriptions.decideApprovals.queue });

const listApprovals = (account: Account) => request<{ data: Record<string, unknown>[] }>(`${stack.url}/api/approvals?key=${account.apiKey}`);

const decidedAbout = (approvalId: string) => decided.next((message) => message.payload.approvalId === approvalId, `approval.decided for ${approvalId}`);

describe('an approval another service asks for', () => {
  test('when approval.requested arrives twice with the same key, then one approval exists for the account and its default reviewers are asked; deciding it by API sends approval.decided with the subject', async () => {
    const account = await newAccount();
    await addDefaultReviewer(account, 'Erin', MAILBOX);
    const context = `Instance crossed its 0.10 USD budget ${randomUUID()}`;
    const payload = approvalRequest(account, context);
    const handledBefore = await handledByApprovals();

    await ask(payload);
    await ask(payload);

    await waitFor(async () => (await handledByApprovals()) >= handledBefore + 2 || undefined, { timeoutMs: 20_000, description: 'both approval.requested messages handled' });
    const listed = await listApprovals(account);
    expect(listed.status).toBe(200);
    expect(listed.body.data).toHaveLength(1);
    const approval = listed.body.data[0]!;
    expect(approval).toMatchObject({ status: 'pending', context, timeout_action: 'deny', metadata: { workflow: 'nightly-agents' } });
    await mailAbout(fakes.smtp, MAILBOX, context);

    const approvalId = approval.approval_id as string;
    const decision = await request<{ decided_by: string }>(`${stack.url}/api/approvals/${approvalId}/decide?key=${account.apiKey}`, { body: { decision: 'approve' } });
    expect(decision.status).toBe(200);

    const message = await decidedAbout(approvalId);
    expect(message).toMatchObject({ id: `approval.decided:${approvalId}`, type: 'approval.decided', routingKey: 'approval.decided' });
    expect(message.payload).toEqual({
      accountId: account.id,
      approvalId,
      status: 'approved',
      result: 1,
      decidedBy: decision.body.decided_by,
      decidedAt: expect.any(String),
      subject: payload.subject,
    });
    const decidedAt = message.payload.decidedAt as string;
    expect(new Date(decidedAt).toISOString()).toBe(decidedAt);
  });

  test('when an account without default reviewers asks for one with a 1-second timeout, then it is made anyway and approval.decided says expired', async () => {
    const account = await newAccount();
    const payload = approvalRequest(account, 'Nobody reviews this one', { timeoutSeconds: 1, timeoutAction: 'deny' });

    await ask(payload);

    const listed = await waitFor(async () => (await listApprovals(account)).body.data[0], { timeoutMs: 20_000, description: 'the approval in the account' });
    const approvalId = listed.approval_id as string;
    const message = await decidedAbout(approvalId);
    expect(message.payload).toMatchObject({ accountId: account.id, approvalId, status: 'expired', result: 0, decidedBy: 'timeout', subject: payload.subject });
    expect((await listApprovals(account)).body.data).toEqual([expect.objectContaining({ approval_id: approvalId, status: 'expired', result: 0 })]);
  });
});
