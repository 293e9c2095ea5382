/** A process hook as the domain reads it (the shape of the `process_hooks` table's rows). */
export interface ProcessHookRow {
  id: string;
  accountId: string;
  name: string;
  maxDurationMs: number;
  alertChannels: string[];
  createdAt: Date;
  updatedAt: Date;
}

/** A run as the domain reads it (`process_runs`). */
export interface ProcessRunRow {
  id: string;
  hookId: string;
  accountId: string;
  status: string;
  overdueAt: Date | null;
  agent: string | null;
  startMetadata: unknown;
  finishMetadata: unknown;
  startedAt: Date;
  finishedAt: Date | null;
  durationMs: number | null;
}

export const processStatePath = (hookId: string) => `/api/process-hooks/${hookId}/runs`;
