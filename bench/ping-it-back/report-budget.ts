import type { WorkBudget } from './work-budget';
import { WORK_COUNTERS } from './work-counters';

/** Issue 11, item 2: what each counter should come to per accepted send. */
export const BUDGET_TARGETS: Record<(typeof WORK_COUNTERS)[number]['name'], string> = {
  pingback_broker_publishes_confirmed_total: 'at most 2 durable hops before the outgoing POST (the counter holds every confirmed publish, those after the POST too)',
  pingback_db_commits_total: 'at most 2 per send, amortised (a consumer batches what one prefetch takes)',
  pingback_internal_calls_total: 'none on the hot path (cached, invalidated on change)',
  pingback_outgoing_connections_total: 'keep-alive sockets per destination origin: far below 1 per send',
};

const SHORT_NAMES: Record<string, string> = {
  'response-store': 'response-store',
  'notification-dispatcher': 'dispatcher',
  'webhook-deliverer': 'deliverer',
  'ingest-gateway': 'gateway',
};
const NOT_EXPORTED = 'not exported';
const COLUMN = 18;

export function perUnit(value: number, units: number): string {
  if (units <= 0) return '—';
  const share = value / units;
  if (share === 0) return '0';
  if (Math.abs(share) >= 100) return Math.round(share).toLocaleString('en-US');
  return share >= 1 ? share.toFixed(2) : share.toPrecision(2);
}

/** A counter's total over the processes that export it; undefined when none does. */
export function totalOf(budget: WorkBudget, name: (typeof WORK_COUNTERS)[number]['name']): number | undefined {
  const readings = [...budget.perProcess.values()].map((counters) => counters.get(name)).filter((reading) => reading?.exported);
  return readings.length ? readings.reduce((sum, reading) => sum + reading!.total, 0) : undefined;
}

/**
 * The work budget as a table: one row per counter (and per label value of the labelled ones), one column per
 * service, then the total, each divided by the sends accepted in the phase; with `deliveries`, also the total
 * per delivery (a fan-out).
 */
export function budgetLines(budget: WorkBudget, options: { deliveries?: number } = {}): string[] {
  const processes = [...budget.perProcess.keys()];
  const width = 34;
  const columns = [...processes.map((label) => SHORT_NAMES[label] ?? label), 'total / send', ...(options.deliveries !== undefined ? ['total / delivery'] : [])];
  const lines = [
    `  ${budget.sends.toLocaleString('en-US')} sends accepted in the phase` +
      (options.deliveries !== undefined ? `, ${options.deliveries.toLocaleString('en-US')} deliveries arrived` : '') +
      "; counters read from every service's /metrics before and after, once they moved no faster than at rest" +
      (budget.settled ? '' : ' (they still did at the deadline: some trailing work is missing)'),
    `  at rest just before the phase, per second: ${WORK_COUNTERS.map((counter) => `${counter.title} ${perUnit(budget.backgroundPerSecond.get(counter.name) ?? 0, 1)}`).join(', ')} ` +
      `(timer-driven work, taken out over the ${budget.seconds.toFixed(0)} s measured)` +
      (budget.startedAtRest ? '' : '; earlier work was still being published after 60 s, so this rate holds some of it and the figures below are too low'),
    `  ${'per accepted send'.padEnd(width)}${columns.map((column) => column.padStart(COLUMN)).join('')}`,
  ];
  for (const counter of WORK_COUNTERS) {
    const readings = processes.map((label) => budget.perProcess.get(label)!.get(counter.name));
    const total = totalOf(budget, counter.name);
    const cells = readings.map((reading) => (reading?.exported ? perUnit(reading.total, budget.sends) : NOT_EXPORTED));
    cells.push(total === undefined ? NOT_EXPORTED : perUnit(total, budget.sends));
    if (options.deliveries !== undefined) cells.push(total === undefined ? NOT_EXPORTED : perUnit(total, options.deliveries));
    lines.push(`  ${counter.title.padEnd(width)}${cells.map((cell) => cell.padStart(COLUMN)).join('')}`);
    if (!('by' in counter)) continue;
    const labelValues = new Set(readings.flatMap((reading) => [...(reading?.byLabel ?? new Map<string, number>())].filter(([, value]) => value !== 0).map(([key]) => key)));
    for (const value of [...labelValues].sort()) {
      const byValue = readings.map((reading) => (reading?.exported ? (reading.byLabel.get(value) ?? 0) : undefined));
      const sum = byValue.reduce<number>((acc, v) => acc + (v ?? 0), 0);
      const labelCells = byValue.map((v) => (v === undefined ? '' : perUnit(v, budget.sends)));
      labelCells.push(perUnit(sum, budget.sends));
      if (options.deliveries !== undefined) labelCells.push(perUnit(sum, options.deliveries));
      lines.push(`  ${`  ${counter.by} '${value}'`.padEnd(width)}${labelCells.map((cell) => cell.padStart(COLUMN)).join('')}`);
    }
  }
  lines.push('  targets (issue 11, item 2):');
  for (const counter of WORK_COUNTERS) lines.push(`    ${counter.title}: ${BUDGET_TARGETS[counter.name]}`);
  return lines;
}
