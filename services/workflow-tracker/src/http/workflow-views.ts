import type { FailedPingView, WorkflowView } from '@pingback/contracts';
import type { FailedPingRecord, InstanceSummary, StageStatus } from '../domain/workflows/workflow-reads';
import { microsToUsd } from '../domain/costs/money';
import { stageNames, type WorkflowRecord } from '../domain/workflows/workflow-records';
import { OrderedObject } from './ordered-json';

const seconds = (ms: number | null) => (ms === null ? null : Math.round(ms / 1000));

/** A workflow as its owner reads it; `ping_url` is where its pipeline pings (add `?key=…&stage=N`). */
export function workflowView(workflow: WorkflowRecord, publicUrl: string): WorkflowView {
  const isStatic = workflow.kind === 'static';
  return {
    id: workflow.id,
    name: workflow.name,
    type: workflow.kind,
    validation_mode: workflow.validationMode,
    stages: isStatic ? stageNames(workflow).map((name, i) => ({ stage: i + 1, name })) : [],
    stage_timeout_seconds: seconds(workflow.stageTimeoutMs),
    grace_period_seconds: seconds(workflow.gracePeriodMs),
    alert_channels: workflow.alertChannels,
    events_url: workflow.eventsUrl,
    ping_url: `${publicUrl.replace(/\/+$/, '')}/${isStatic ? 'shk' : 'dhk'}/${workflow.id}`,
    created_at: workflow.createdAt.toISOString(),
    updated_at: workflow.updatedAt.toISOString(),
  };
}

/**
 * `stage_name` and `agent_code` are left out when unknown, as the seed's `"3": { "status": "pending" }`; `payload`
 * (the stored JSON object, or null) comes last, and only where asked for (one instance).
 */
const stageEntry = (stage: StageStatus, show: { agent: boolean; payload: boolean }) => ({
  status: stage.status,
  ...(stage.stageName !== null ? { stage_name: stage.stageName } : {}),
  ...(show.agent && stage.agentCode !== null ? { agent_code: stage.agentCode } : {}),
  ...(show.payload ? { payload: stage.payload ?? null } : {}),
});

/** The seed's tree: `{ "1": { "status": "healthy", "stage_name": "Ingest" }, "2.1": …, "3": { "status": "pending" } }`, in stage order. */
export const treeView = (stages: readonly StageStatus[]) => new OrderedObject(stages.map((stage) => [stage.path, stageEntry(stage, { agent: false, payload: false })]));

function runView(instance: InstanceSummary, withPayloads: boolean) {
  return {
    id: instance.id,
    status: instance.status,
    started_at: instance.startedAt.toISOString(),
    ...(instance.status === 'completed' && instance.completedAt ? { completed_at: instance.completedAt.toISOString() } : {}),
    agent_code: instance.agentCode,
    ...(instance.status === 'failed' || instance.status === 'terminated' ? { failure_reason: instance.failureReason } : {}),
    ...(instance.origin !== 'ping' ? { origin: instance.origin, source_instance_id: instance.sourceInstanceId } : {}),
    stage_statuses: new OrderedObject(instance.stages.map((stage) => [stage.path, stageEntry(stage, { agent: true, payload: withPayloads })])),
  };
}

/**
 * One run as the seed's instance history shows it: `completed_at` only once completed, `failure_reason` only once
 * failed (or terminated by its budget); a fork or re-run says where it came from.
 */
export const instanceView = (instance: InstanceSummary) => runView(instance, false);

/** `GET /api/instances/{id}`: the run, which workflow it belongs to, what its own pings cost, and each stage's payload. */
export function singleInstanceView(instance: InstanceSummary) {
  const { id, stage_statuses, ...rest } = runView(instance, true);
  return { id, workflow_id: instance.workflowId, ...rest, cost_usd: microsToUsd(instance.costMicros), stage_statuses };
}

/** A refused stage ping: the code and message its caller got, and the details of the refusal. */
export function failedPingView(ping: FailedPingRecord): FailedPingView {
  const { message, workflow_id: _workflow, instance_id: _instance, ...details } = (ping.detail ?? {}) as Record<string, unknown>;
  return {
    id: ping.id,
    workflow_id: ping.workflowId,
    instance_id: ping.instanceId,
    stage: ping.stage,
    agent_code: ping.agentCode,
    error: ping.error,
    message: typeof message === 'string' ? message : null,
    details,
    received_at: ping.receivedAt.toISOString(),
  };
}
