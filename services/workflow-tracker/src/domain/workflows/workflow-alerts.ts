import type { TrackerTx } from '../../data/prisma';
import { raiseAlert, type AlertDeps } from '../alerts';
import type { WorkflowRecord } from './workflow-records';

/** Providers cut titles at around this length; the workflow's name comes first, so cut the end. */
const TITLE_CHARS = 200;

const titled = (text: string) => (text.length <= TITLE_CHARS ? text : `${text.slice(0, TITLE_CHARS - 1)}…`);
const listed = (stages: readonly (number | string)[]) => `${stages.length === 1 ? 'stage' : 'stages'} ${stages.join(', ')}`;

function alertFor(workflow: WorkflowRecord, at: Date) {
  return {
    accountId: workflow.accountId,
    subject: { kind: 'workflow' as const, id: workflow.id, name: workflow.name },
    statePath: `/api/workflows/${encodeURIComponent(workflow.id)}/instances`,
    channels: workflow.alertChannels,
    at,
  };
}

/** Strict mode: a stage arrived before the ones it needs; the ping was refused and the run failed. */
export function alertStageMissed(
  tx: TrackerTx,
  deps: AlertDeps,
  workflow: WorkflowRecord,
  missed: { instanceId: string; stage: number; missing: readonly number[]; at: Date },
): Promise<string | null> {
  return raiseAlert(tx, deps, {
    ...alertFor(workflow, missed.at),
    event: 'stage.missed',
    title: titled(`${workflow.name}: ${listed(missed.missing)} missed`),
    body:
      `Stage ${missed.stage} of workflow ${workflow.name} (${workflow.id}) arrived at ${missed.at.toISOString()} before ` +
      `${listed(missed.missing)}, in instance ${missed.instanceId}. Strict mode refused the ping (400 stage_missed), ` +
      `logged it in the failed pings and failed the instance.`,
  });
}

/** A run failed: a stage time-out, a grace period, or a stage that reported its own failure. */
export function alertInstanceFailed(
  tx: TrackerTx,
  deps: AlertDeps,
  workflow: WorkflowRecord,
  failed: { instanceId: string; reason: string; startedAt: Date; at: Date },
): Promise<string | null> {
  return raiseAlert(tx, deps, {
    ...alertFor(workflow, failed.at),
    event: 'instance.failed',
    title: titled(`${workflow.name} failed: ${failed.reason}`),
    body:
      `Instance ${failed.instanceId} of workflow ${workflow.name} (${workflow.id}), started ${failed.startedAt.toISOString()}, ` +
      `failed at ${failed.at.toISOString()}: ${failed.reason}.`,
  });
}
