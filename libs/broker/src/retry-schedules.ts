import { type Topology, withInfrastructureRetryDelays, withRetryDelays } from './topology';

/**
 * Reads PINGBACK_RETRY_SCHEDULES: `queue=ms,ms,...` entries separated by `;`, for example
 * `webhook-deliverer:callback:deliver=100,200;response-store:notification:record=50`. An entry with no
 * delays (`queue=`) means "no retries". Anything malformed throws, naming the entry.
 */
export function parseRetrySchedules(value: string | undefined): Record<string, number[]> {
  const schedules: Record<string, number[]> = {};
  for (const rawEntry of (value ?? '').split(';')) {
    const entry = rawEntry.trim();
    if (entry === '') continue;
    const separator = entry.indexOf('=');
    if (separator <= 0) throw new Error(`PINGBACK_RETRY_SCHEDULES: "${entry}" is not queue=ms,ms,...`);
    const queue = entry.slice(0, separator).trim();
    const delays = entry.slice(separator + 1).trim();
    schedules[queue] = delays === '' ? [] : delays.split(',').map((delay) => parseDelay(delay.trim(), entry));
  }
  return schedules;
}

/** The topology with the schedules of PINGBACK_RETRY_SCHEDULES (as a string) applied. */
export function withScheduleOverrides(of: Topology, value: string | undefined): Topology {
  return withRetryDelays(of, parseRetrySchedules(value));
}

function parseDelay(text: string, entry: string): number {
  if (!/^\d+$/.test(text)) throw new Error(`PINGBACK_RETRY_SCHEDULES: "${text}" in "${entry}" is not a delay in ms`);
  return Number(text);
}

/** Reads PINGBACK_INFRASTRUCTURE_RETRY_DELAYS_MS (`ms,ms,...`; empty: the defaults) into the topology. */
export function withInfrastructureRetryOverrides(of: Topology, value: string | undefined): Topology {
  const text = (value ?? '').trim();
  if (text === '') return of;
  const delays = text.split(',').map((delay) => {
    const trimmed = delay.trim();
    if (!/^\d+$/.test(trimmed) || Number(trimmed) === 0) throw new Error(`PINGBACK_INFRASTRUCTURE_RETRY_DELAYS_MS: "${trimmed}" is not a delay in ms`);
    return Number(trimmed);
  });
  return withInfrastructureRetryDelays(of, delays);
}
