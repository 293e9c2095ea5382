import type { Schedule } from './schedule';

/** new: no ping yet · up: pinged in time · late: past its expected time, within grace · down: past grace, or a failure ping. */
export type MonitorState = 'new' | 'up' | 'late' | 'down';

/** A heartbeat monitor as the domain reads it (the shape of the `monitors` table's rows). */
export interface MonitorRow {
  id: string;
  accountId: string;
  name: string;
  intervalMs: number | null;
  cron: string | null;
  timezone: string;
  graceMs: number;
  state: string;
  paused: boolean;
  lastPingAt: Date | null;
  expectedAt: Date | null;
  repeatAlertMs: number | null;
  dependsOn: string | null;
  alertChannels: string[];
  createdAt: Date;
  updatedAt: Date;
}

export const scheduleOf = (monitor: Pick<MonitorRow, 'intervalMs' | 'cron' | 'timezone'>): Schedule =>
  monitor.intervalMs !== null ? { intervalMs: monitor.intervalMs } : { cron: monitor.cron ?? '', timezone: monitor.timezone };

/** The last pings kept per monitor (older ones are deleted in the transaction that records a new one). */
export const PINGS_KEPT = 100;

/** Ping metadata, process run metadata: a JSON object of at most this many bytes. */
export const MAX_METADATA_BYTES = 64 * 1024;
