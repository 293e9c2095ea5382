import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** Clock ticks per second, the unit of /proc/<pid>/stat's utime and stime. */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** User plus system CPU seconds a process has used so far; 0 once it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** Every process whose command name is `comm` (e.g. all Postgres backends), read from /proc. */
export function pidsNamed(comm: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === comm;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Busy and total CPU seconds of the whole machine, from /proc/stat's first line. */
export function machineCpuSeconds(): { busy: number; total: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.reduce((sum, value) => sum + value, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return { busy: (total - idle) / CLOCK_TICKS, total: total / CLOCK_TICKS };
}

/** A group of processes measured together: one service, or every process of a server. */
export interface ProcessGroup {
  label: string;
  pids: () => number[];
}

export interface CpuSnapshot {
  at: number;
  seconds: Map<string, number>;
  machine: { busy: number; total: number };
}

export function takeCpuSnapshot(groups: readonly ProcessGroup[]): CpuSnapshot {
  const seconds = new Map<string, number>();
  for (const group of groups) seconds.set(group.label, group.pids().reduce((sum, pid) => sum + cpuSeconds(pid), 0));
  return { at: performance.now(), seconds, machine: machineCpuSeconds() };
}

/**
 * Accumulates CPU seconds and wall time over one or more measured spans (e.g. all gateway rounds), so a phase's
 * share reads as "percent of one core" however many spans it had.
 */
export class CpuAccount {
  readonly seconds = new Map<string, number>();
  wallSeconds = 0;
  machineBusy = 0;
  machineTotal = 0;

  add(before: CpuSnapshot, after: CpuSnapshot): void {
    this.wallSeconds += (after.at - before.at) / 1000;
    this.machineBusy += after.machine.busy - before.machine.busy;
    this.machineTotal += after.machine.total - before.machine.total;
    for (const [label, value] of after.seconds) {
      // A process that ended inside the span takes its CPU time with it: never count that as negative use.
      const used = Math.max(0, value - (before.seconds.get(label) ?? 0));
      this.seconds.set(label, (this.seconds.get(label) ?? 0) + used);
    }
  }

  /** Percent of one core that `label` used over the spans. */
  percentOfCore(label: string): number {
    return this.wallSeconds ? (100 * (this.seconds.get(label) ?? 0)) / this.wallSeconds : Number.NaN;
  }

  /** How busy the whole machine was, in percent of all its cores. */
  machinePercent(): number {
    return this.machineTotal ? (100 * this.machineBusy) / this.machineTotal : Number.NaN;
  }
}
