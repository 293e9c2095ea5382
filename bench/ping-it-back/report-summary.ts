import type { DeliveryLatencyResult } from './delivery-latency';
import { FLAT_GROWTH, isFlat, type SoakResult } from './memory-soak';
import type { FanoutPhaseResult } from './phase-fanout';
import type { RawHttpResult } from './raw-http-baseline';
import { perUnit, totalOf } from './report-budget';
import { int, mb, ms } from './format';
import type { BenchSettings } from './settings';
import type { SustainedRateResult } from './sustained-rate';
import { TARGETS } from './targets';
import type { WorkBudget } from './work-budget';
import { WORK_COUNTERS } from './work-counters';


export interface Figures {
  settings: BenchSettings;
  raw: RawHttpResult;
  singleBudget?: WorkBudget;
  fanout: FanoutPhaseResult;
  lowRate: DeliveryLatencyResult;
  sustained: SustainedRateResult;
  edge: { baseline: number; gateway: number };
  soak?: SoakResult;
}

const verdict = (met: boolean) => (met ? 'met' : 'not met');

function budgetSummary(budget: WorkBudget, divisor: number): string {
  return WORK_COUNTERS.map((counter) => {
    const total = totalOf(budget, counter.name);
    return `${counter.title} ${total === undefined ? 'not exported' : perUnit(total, divisor)}`;
  }).join(', ');
}

/** The closing lines: every figure of items 2 and 3 next to its target, as measured in this run. */
export function summaryLines(figures: Figures): string[] {
  const { settings, raw, fanout, lowRate, sustained, edge, soak } = figures;
  const lines: string[] = [];
  lines.push(
    figures.singleBudget
      ? `work per accepted send, single destination: ${budgetSummary(figures.singleBudget, figures.singleBudget.sends)}`
      : 'work per accepted send, single destination: not measured',
  );
  if (fanout.budget) {
    const { budget, fanout: measured } = fanout.budget;
    lines.push(`work per send, ${int(measured.destinations)}-destination fan-out: ${budgetSummary(budget, budget.sends)}`);
    lines.push(`  per delivery (${int(measured.arrived)} arrived): ${budgetSummary(budget, measured.arrived)}`);
  } else {
    lines.push(`work per send, ${int(settings.budgetFanoutDestinations)}-destination fan-out: not measured (see above)`);
  }
  lines.push('  targets: ≤ 2 durable hops before the POST, ≤ 2 Postgres commits amortised, no internal HTTP call, keep-alive connections');
  const edgeRatio = edge.gateway / edge.baseline;
  lines.push(`edge alone (consumers paused) / empty Express route: ${edgeRatio.toFixed(2)} (${int(edge.gateway)} / ${int(edge.baseline)} sends/s); target ≥ ${TARGETS.edgeRatio}: ${verdict(edgeRatio >= TARGETS.edgeRatio)}`);
  lines.push(
    sustained.sustained === undefined
      ? `sustained end to end: no step held (first step ${int(settings.sustainedRates[0]!)}/s); target ≥ ${int(TARGETS.sustainedPerSecond)} sends/s: not met`
      : `sustained end to end: ${int(sustained.sustained)} sends/s = ${(sustained.sustained / raw.postsPerSecond).toFixed(3)} of raw HTTP (${int(raw.postsPerSecond)} POSTs/s); ` +
          `target ≥ ${int(TARGETS.sustainedPerSecond)} sends/s: ${verdict(sustained.sustained >= TARGETS.sustainedPerSecond)}` +
          (sustained.steps.length && sustained.steps.at(-1)!.failures.length === 0 ? ' (every step held: the ladder ended, not the stack)' : ''),
  );
  const { p50, p99 } = lowRate.deliveryLatencyMs;
  lines.push(
    `at ${int(settings.lowRatePerSecond)} sends/s, send → arrival: p50 ${ms(p50)} (target < ${TARGETS.lowRateP50Ms} ms: ${verdict(p50 < TARGETS.lowRateP50Ms)}), ` +
      `p99 ${ms(p99)} (target < ${TARGETS.lowRateP99Ms} ms: ${verdict(p99 < TARGETS.lowRateP99Ms)})`,
  );
  if (fanout.large && fanout.large.status === 200) {
    const { large } = fanout;
    const ratio = large.deliveriesPerSecond / raw.postsPerSecond;
    const peaks = [...large.peakRss].filter(([, bytes]) => bytes !== undefined) as [string, number][];
    const highest = peaks.reduce<[string, number] | undefined>((top, entry) => (!top || entry[1] > top[1] ? entry : top), undefined);
    lines.push(
      `fan-out to ${int(large.destinations)}: ${int(large.deliveriesPerSecond)} deliveries/s = ${ratio.toFixed(3)} of raw HTTP` +
        `${large.complete ? '' : ` (only ${int(large.arrived)} arrived before the time-out)`}; target ≥ ${TARGETS.fanoutRatio}: ${verdict(large.complete && ratio >= TARGETS.fanoutRatio)}`,
    );
    lines.push(
      `  peak RSS: highest ${highest ? `${mb(highest[1])} (${highest[0]})` : '—'}; target < ${mb(TARGETS.rssBytes)} for every process: ` +
        verdict(peaks.length > 0 && peaks.every(([, bytes]) => bytes < TARGETS.rssBytes)),
    );
  } else {
    lines.push(`fan-out to ${int(settings.fanoutDestinations)}: could not run (see above)`);
  }
  if (soak) {
    const notFlat = [...soak.rss.end.keys()].filter((label) => isFlat(soak.rss.middle.get(label), soak.rss.end.get(label)) === false);
    lines.push(
      `memory over a ${soak.minutes}-minute soak at ${int(soak.ratePerSecond)} sends/s: ${notFlat.length ? `not flat for ${notFlat.join(', ')}` : 'flat for every service'} ` +
        `(flat: from the middle to the end it grew by at most the larger of ${mb(FLAT_GROWTH.bytes)} and ${FLAT_GROWTH.fraction * 100} %)`,
    );
  } else {
    lines.push('memory soak: left out (BENCH_SOAK_MINUTES=0)');
  }
  return lines;
}
