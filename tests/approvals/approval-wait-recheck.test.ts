import { runSql } from '@pingback/testing';
import { createChannel } from '../support/api';
import { APPROVAL_SERVICES, startStack, type Stack } from '../support/stack';
import { createApproval, readApproval } from './approval-support';

let stack: Stack;
let apiKey: string;

beforeAll(async () => {
  // A second between rechecks, so a wait of 20 s outlives several of them.
  stack = await startStack({ PINGBACK_APPROVAL_WAIT_RECHECK_MS: '1000' }, APPROVAL_SERVICES);
  ({ apiKey } = await createChannel(stack));
}, 120_000);
afterAll(() => stack?.stop());

test('when a decision is made where no wake-up reaches the waiting poll, then the poll still answers it at its next recheck, long before its wait ends', async () => {
  const { approval_id: id } = (await createApproval(stack, apiKey, { context: 'Decided by another copy' })).body;
  const started = Date.now();
  const waiting = readApproval(stack, apiKey, id, '&wait=20');
  await new Promise((resolve) => setTimeout(resolve, 300));
  // As a copy whose announcement was lost would leave it: decided in the record, and nobody told.
  const changed = await runSql(
    stack.env.DATABASE_URL!,
    `UPDATE approvals.approvals SET status = 'approved', result = 1, decided_by = 'Elsewhere', decided_via = 'api', decided_at = now() WHERE id = $1`,
    [id],
  );
  expect(changed).toBe(1);
  const answer = await waiting;
  expect(answer.body).toMatchObject({ status: 'approved', result: 1, decided_by: 'Elsewhere' });
  // Answered by a recheck, not by the end of the 20-second wait.
  expect(Date.now() - started).toBeLessThan(15_000);
});
