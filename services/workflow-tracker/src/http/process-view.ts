import type { ProcessHookView, ProcessRunView } from '@pingback/contracts';
import type { ProcessHookRow, ProcessRunRow } from '../domain/process-hooks/hook-row';

const iso = (at: Date | null) => at?.toISOString() ?? null;

/** A process hook as the API shows it, with where to ping it (add `?key=` or send the key another way). */
export const hookView = (hook: ProcessHookRow, publicUrl: string): ProcessHookView => ({
  id: hook.id,
  name: hook.name,
  max_duration_seconds: hook.maxDurationMs / 1000,
  alert_channels: hook.alertChannels,
  start_url: new URL(`/phk/${hook.id}/start`, publicUrl).toString(),
  finish_url: new URL(`/phk/${hook.id}/finish`, publicUrl).toString(),
  created_at: hook.createdAt.toISOString(),
  updated_at: hook.updatedAt.toISOString(),
});

/** One run: `duration_ms` from its start to its finish (null while it runs); `overdue` once it outlived the maximum. */
export const runView = (run: ProcessRunRow): ProcessRunView => ({
  run_id: run.id,
  status: run.status,
  agent: run.agent,
  started_at: run.startedAt.toISOString(),
  finished_at: iso(run.finishedAt),
  duration_ms: run.finishedAt ? run.finishedAt.getTime() - run.startedAt.getTime() : null,
  overdue: run.overdueAt !== null,
  // Stored as the JSON objects the pings carried, or null.
  start_metadata: (run.startMetadata ?? null) as ProcessRunView['start_metadata'],
  finish_metadata: (run.finishMetadata ?? null) as ProcessRunView['finish_metadata'],
});
