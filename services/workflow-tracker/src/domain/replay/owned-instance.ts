import { DomainError, TRACKER_ID } from '@pingback/contracts';
import type { TrackerDb, TrackerTx } from '../../data/prisma';
import { mustOwn } from '../domain-errors';

/** An instance of the caller's account: 404 when there is none, 403 when it is another account's (seed 002). */
export async function findOwnedInstance(db: TrackerDb | TrackerTx, accountId: string, instanceId: string) {
  if (!TRACKER_ID.test(instanceId)) throw new DomainError('not_found', 'instance not found');
  return mustOwn(await db.workflowInstance.findUnique({ where: { id: instanceId } }), accountId, 'instance');
}
