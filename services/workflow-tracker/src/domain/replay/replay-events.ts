import { envelopeFor, toSeedTimestamp, webhookDeliverPublications, type WebhookDeliver } from '@pingback/contracts';
import { trackerOutbox } from '../../data/durable-tables';
import type { TrackerTx } from '../../data/prisma';
import type { WorkflowRecord } from '../workflows/workflow-records';

export type ReplayEventType = 'instance.forked' | 'instance.rerun_requested';

/**
 * Tells the workflow's `events_url` that a fork or re-run is waiting for its runner, through webhook-deliverer:
 * signed with the account's signing secret, on seed 003's event schedule (30 s, 2 min, 10 min, 30 min, 1 h). In the
 * transaction that made the instance (the outbox); nothing when the workflow has no events_url. One POST per
 * instance: its `webhook-id` is derived from the instance.
 */
export async function announceReplay(tx: TrackerTx, workflow: WorkflowRecord, event: { type: ReplayEventType; instanceId: string; at: Date; fields: Record<string, unknown> }): Promise<void> {
  if (!workflow.eventsUrl) return;
  const webhookId = `${event.type === 'instance.forked' ? 'ifk' : 'irr'}_${event.instanceId}`;
  const payload: WebhookDeliver['payload'] = {
    webhookId,
    purpose: 'delivery_event',
    url: workflow.eventsUrl,
    body: { event: event.type, workflow_id: workflow.id, instance_id: event.instanceId, ...event.fields, timestamp: toSeedTimestamp(event.at) },
    signer: { kind: 'account', id: workflow.accountId },
    subject: { accountId: workflow.accountId, kind: 'instance', id: event.instanceId, refs: { workflow_id: workflow.id } },
    endpoint: null,
  };
  const publication = webhookDeliverPublications.delivery_event;
  const envelope = envelopeFor(publication, payload, { id: webhookId, occurredAt: event.at });
  await trackerOutbox.append(tx, [{ id: envelope.id, publication: publication.routingKey, envelope }]);
}
