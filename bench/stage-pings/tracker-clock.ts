import { Config as TrackerConfig } from '../../services/workflow-tracker/src/config';
import { trackerDeadlines } from '../../services/workflow-tracker/src/data/durable-tables';
import { TRACKER_SCHEMA } from '../../services/workflow-tracker/src/data/prisma';
import { monitorClocks } from '../../services/workflow-tracker/src/domain/monitors/clocks';
import { HEARTBEAT_CLOCK, type HeartbeatDue } from '../../services/workflow-tracker/src/domain/monitors/heartbeat-clock';
import { processClocks } from '../../services/workflow-tracker/src/domain/process-hooks/clocks';
import { workflowClocks } from '../../services/workflow-tracker/src/domain/workflows/clocks';
import type { TrackerDeps } from '../../services/workflow-tracker/src/tracker-deps';
import type { MonitorClock } from './monitor-rows';

/** The tracker's sweeper as a default install runs it, read from its config schema (the bench does not change it). */
export const TRACKER_SWEEP = {
  intervalMs: TrackerConfig.shape.PINGBACK_DEADLINE_INTERVAL_MS.parse(undefined),
  batchSize: TrackerConfig.shape.PINGBACK_DEADLINE_BATCH_SIZE.parse(undefined),
};

export const TRACKER_TABLES = { monitors: `"${TRACKER_SCHEMA}"."monitors"`, deadlines: trackerDeadlines.table };

/**
 * A monitor past its expected time and within its grace period: its clock row (kind `heartbeat`, key the monitor's
 * id) fires at expected + grace, and the handler takes it late → down with a `monitor.down` alert, which is the
 * check's whole work (an up → late fire only moves the clock on).
 */
export const MONITOR_CLOCK: MonitorClock = {
  state: 'late',
  kind: HEARTBEAT_CLOCK,
  payload: (expectedAt): HeartbeatDue => ({ phase: 'down', expectedAt: expectedAt.toISOString() }),
};

/**
 * Every kind the tracker's sweeper claims, named as start-workflow-tracker.ts gathers them: its claim query lists
 * them all. The factories only name their handlers here; none of them runs, so they need no real dependencies.
 */
export function trackerDeadlineKinds(): string[] {
  const unused = {} as TrackerDeps;
  return Object.keys({ ...workflowClocks(unused), ...processClocks(unused), ...monitorClocks(unused) });
}
