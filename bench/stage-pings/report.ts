import { int, ms } from '../ping-it-back/format';
import type { MachineDescription } from '../ping-it-back/machine';
import { median } from '../ping-it-back/percentiles';
import type { CpuAccount } from '../ping-it-back/cpu-usage';
import { ratioLines } from '../ping-it-back/report';
import type { RoundResult } from '../ping-it-back/throughput-round';
import type { CheckerPass } from './checker-pass';
import type { ClaimCost } from './claim-cost';
import type { StagePingSettings } from './settings';

/** Issue 14's goal: accepted stage pings per second at least half the empty Express route's. */
export const PING_RATIO_GOAL = 0.5;

const count = (value: number, noun: string) => `${int(value)} ${noun}${value === 1 ? '' : 's'}`;

export function settingsLines(
  machine: MachineDescription,
  settings: StagePingSettings,
  services: { overrides: Record<string, string>; sweepIntervalMs: number; sweepBatchSize: number },
): string[] {
  return [
    `machine     ${machine.cpus}, ${machine.memory}, ${machine.os}`,
    `node        ${machine.node}`,
    `postgres    ${machine.postgres}`,
    `rabbitmq    ${machine.rabbitmq}`,
    `services    ${Object.entries(services.overrides)
      .map(([name, value]) => `${name}=${value === '' ? "''" : value}`)
      .join(' ')}`,
    `            (PINGBACK_SEED002_RATE_PER_MINUTE raised from the gateway's default so its per-account limit is not what the rounds measure)`,
    `pings       ${settings.rounds} × (baseline ${settings.roundSeconds} s, gateway ${settings.roundSeconds} s), ${settings.connections} connections, ` +
      `autocannon closed loop, spread over ${count(settings.workflows, 'static workflow')}`,
    `checker     ${int(settings.monitors)} monitors, ${int(settings.dueMonitors)} of them due at once; one workflow-tracker process sweeps ` +
      `every ${services.sweepIntervalMs} ms at most, ${services.sweepBatchSize} deadlines a transaction (its defaults)`,
  ];
}

export interface PingSummary {
  baselineMedian: number;
  gatewayMedian: number;
  /** Answers other than 200 over every gateway round, by status code, plus connection errors and time-outs. */
  gatewayFailures: Record<string, number>;
}

export function summarizePingRounds(rounds: readonly RoundResult[]): PingSummary {
  const of = (target: RoundResult['target']) => rounds.filter((round) => round.target === target);
  const gatewayFailures: Record<string, number> = {};
  const add = (key: string, n: number) => {
    if (n > 0) gatewayFailures[key] = (gatewayFailures[key] ?? 0) + n;
  };
  for (const round of of('gateway')) {
    for (const [code, n] of Object.entries(round.otherStatuses)) add(code, n);
    add('errors', round.errors);
    add('timeouts', round.timeouts);
  }
  return {
    baselineMedian: median(of('baseline').map((round) => round.acceptedPerSecond)),
    gatewayMedian: median(of('gateway').map((round) => round.acceptedPerSecond)),
    gatewayFailures,
  };
}

/** The ping-it-back bench's ratio lines against issue 14's goal, and every answer of the gateway that was not 200. */
export function pingRatioLines(summary: PingSummary): string[] {
  const failures = Object.entries(summary.gatewayFailures).map(([what, n]) => `${what} × ${int(n)}`);
  return [
    ...ratioLines(summary.baselineMedian, summary.gatewayMedian, PING_RATIO_GOAL),
    `stage pings the gateway did not answer 200, all rounds: ${failures.length ? failures.join(', ') : 'none'}`,
  ];
}

/** The processes a stage ping costs CPU in, as the CPU table names them. */
export const PING_PATH_PROCESSES = ['ingest-gateway', 'workflow-tracker', 'postgres (all)', 'redis-server'];

/** CPU milliseconds each process spent per accepted ping over the gateway rounds: the work a ping costs. */
export function cpuPerPingLine(account: Pick<CpuAccount, 'seconds'>, accepted: number, labels: readonly string[]): string {
  const each = labels.map((label) => `${label} ${accepted ? ms((1000 * (account.seconds.get(label) ?? 0)) / accepted) : '—'}`);
  return `CPU per accepted ping over the gateway rounds: ${each.join(', ')} (postgres and redis: the shared servers, other work included)`;
}

export function checkerLines(pass: CheckerPass): string[] {
  const states = Object.entries(pass.states).map(([state, n]) => `${state} ${int(n)}`).join(', ');
  const done = pass.due - pass.left - pass.postponed;
  return [
    `rows existing   ${int(pass.monitors)} monitors with ${int(pass.monitors)} heartbeat deadlines`,
    `rows due        ${int(pass.due)}, all at the same instant`,
    pass.left === 0
      ? `total           ${ms(pass.totalMs)} from their due time until the last was handled (the first batch committed after ${ms(pass.firstMs)}; polled every ${pass.pollMs} ms)`
      : `total           NOT finished: ${int(done)} of ${int(pass.due)} handled after ${ms(pass.totalMs)}, ${int(pass.left)} left when the run stopped waiting`,
    `per due monitor ${done ? ms(pass.totalMs / done) : '—'}`,
    `due monitors now: ${states || 'none found'}; deadlines put off after a failed handler: ${int(pass.postponed)}${pass.lastError ? ` (last error: ${pass.lastError})` : ''}`,
  ];
}

export function claimLines(costs: readonly ClaimCost[], batchSize: number): string[] {
  const lines = costs.map(
    (cost) =>
      `${int(cost.due)} due among ${int(cost.rows).padStart(7)} rows: ${ms(cost.medianMs).padStart(9)} ` +
      `(planning ${ms(cost.planningMs)}; median of ${cost.runs})   ${cost.shape}`,
  );
  const [fewest, most] = [costs[0], costs[costs.length - 1]];
  if (fewest && most && fewest !== most) {
    lines.push(
      `ratio ${int(most.rows)} rows / ${int(fewest.rows)} rows = ${(most.medianMs / fewest.medianMs).toFixed(2)} ` +
        `for ${(most.rows / fewest.rows).toFixed(0)} × the rows, the same ${int(fewest.due)} due (one claim locks at most ${batchSize}; near 1: the rows not due cost nothing)`,
    );
  }
  return lines;
}
