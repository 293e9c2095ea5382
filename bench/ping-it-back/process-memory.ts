import fs from 'node:fs';

/** A process the bench watches, by the name the report gives it. */
export interface WatchedProcess {
  label: string;
  pid: number;
}

/** Resident memory of a process in bytes (VmRSS in /proc/<pid>/status); undefined once it is gone. */
export function rssBytes(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Every watched process's RSS now, by label. */
export function rssNow(processes: readonly WatchedProcess[]): Map<string, number | undefined> {
  return new Map(processes.map(({ label, pid }) => [label, rssBytes(pid)]));
}

/**
 * Samples every watched process's RSS every `intervalMs` until stopped, and keeps each one's highest: the peak
 * of a phase, which a single reading at its end would miss (a fan-out's memory is back down once it is done).
 */
export function watchPeakRss(processes: readonly WatchedProcess[], intervalMs = 200): { stop(): Map<string, number | undefined> } {
  const peaks = new Map<string, number | undefined>();
  const sample = () => {
    for (const [label, rss] of rssNow(processes)) {
      if (rss !== undefined) peaks.set(label, Math.max(rss, peaks.get(label) ?? 0));
      else if (!peaks.has(label)) peaks.set(label, undefined);
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peaks;
    },
  };
}
