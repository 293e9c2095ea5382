import { DomainError, notFoundError } from '@pingback/contracts';
import type { TrackerTx } from '../../data/prisma';
import type { TrackerDeps } from '../../tracker-deps';
import { raiseAlert } from '../alerts';
import { databaseNow, holdRow, lockRow } from '../monitors/database-clock';
import { mustOwn } from '../domain-errors';
import { formatDuration, moment } from '../monitors/durations';
import type { PingOutcome } from '../monitors/ping-status';
import type { JsonObject } from '../monitors/record-ping';
import { processStatePath, type ProcessHookRow, type ProcessRunRow } from './hook-row';
import { stopOverdueClock } from './process-clock';
import { runResult, type RunResult } from './run-result';

export interface FinishInput {
  accountId: string;
  hookId: string;
  /** The run to finish, or null for the hook's oldest open run. */
  runId: string | null;
  agent: string | null;
  metadata: JsonObject | null;
  status: PingOutcome;
}

export interface RunFinished {
  runId: string;
  durationMs: number;
  result: RunResult;
}

/** duration_ms is a 32-bit column: a run finished after more than ~24.8 days keeps this much (the view counts from its times). */
const MAX_STORED_DURATION_MS = 2_147_483_647;
/** How often a finish without run_id looks again when another finish took the oldest open run first. */
const PICK_ATTEMPTS = 10;

const noRunningProcess = (message: string) => new DomainError('no_running_process', message);

/**
 * A finish ping closes one open run (the one named, or the oldest): its duration and result are recorded, its clock
 * stops, and a failed result raises one `process.failed` alert. A run that already alerted as overdue can still finish.
 */
export async function finishRun(deps: TrackerDeps, input: FinishInput): Promise<RunFinished> {
  const finished = await deps.db.$transaction(async (tx) => {
    await holdRow(tx, 'process_hooks', input.hookId);
    const hook = mustOwn(await tx.processHook.findUnique({ where: { id: input.hookId } }), input.accountId, 'process hook');
    const run = input.runId ? await namedRun(tx, hook, input.runId) : await oldestOpenRun(tx, hook);
    const at = await databaseNow(tx);
    const result = runResult(input.status, input.metadata);
    const durationMs = Math.max(0, at.getTime() - run.startedAt.getTime());
    await tx.processRun.update({
      where: { id: run.id },
      data: {
        status: result.result,
        finishedAt: at,
        durationMs: Math.min(durationMs, MAX_STORED_DURATION_MS),
        agent: run.agent ?? input.agent,
        ...(input.metadata ? { finishMetadata: input.metadata } : {}),
      },
    });
    await stopOverdueClock(tx, run.id);
    if (result.result === 'failed') {
      const by = run.agent ?? input.agent;
      await raiseAlert(tx, deps.alerts, {
        accountId: hook.accountId,
        subject: { kind: 'process_hook', id: hook.id, name: hook.name },
        event: 'process.failed',
        title: `${hook.name} reported a failure (${result.reason})`,
        body: `Run ${run.id} of ${hook.name}${by ? ` (agent ${by})` : ''} started at ${moment(run.startedAt)} and finished at ${moment(at)}, after ${formatDuration(durationMs)}, with ${result.reason}.`,
        statePath: processStatePath(hook.id),
        channels: hook.alertChannels,
        at,
      });
    }
    return { runId: run.id, durationMs, result };
  });
  deps.kickOutbox();
  return finished;
}

/** The run named by run_id: this hook's (another hook's is not found), and still open. */
async function namedRun(tx: TrackerTx, hook: ProcessHookRow, runId: string): Promise<ProcessRunRow> {
  await lockRow(tx, 'process_runs', runId);
  const run = await tx.processRun.findUnique({ where: { id: runId } });
  if (!run || run.hookId !== hook.id) throw notFoundError('run');
  if (run.status !== 'running') throw noRunningProcess(`run ${runId} has already finished (${run.status})`);
  return run;
}

/** The hook's oldest open run. Two finishes at once take one run each: the later one moves to the next. */
async function oldestOpenRun(tx: TrackerTx, hook: ProcessHookRow): Promise<ProcessRunRow> {
  for (let attempt = 0; attempt < PICK_ATTEMPTS; attempt += 1) {
    const candidate = await tx.processRun.findFirst({ where: { hookId: hook.id, status: 'running' }, orderBy: [{ startedAt: 'asc' }, { id: 'asc' }], select: { id: true } });
    if (!candidate) break;
    await lockRow(tx, 'process_runs', candidate.id);
    const run = await tx.processRun.findUnique({ where: { id: candidate.id } });
    if (run?.status === 'running') return run;
  }
  throw noRunningProcess(`process hook ${hook.id} has no running run to finish: send a start ping first`);
}
