import type { FanoutResult } from './fanout-delivery';
import { int, mb, ms } from './format';
import { FLAT_GROWTH, isFlat, type SoakResult } from './memory-soak';
import type { RawHttpResult } from './raw-http-baseline';
import type { SustainedStep } from './sustained-rate';
import { TARGETS } from './targets';



export function rawHttpLine(result: RawHttpResult): string {
  const others = Object.entries(result.otherStatuses).map(([code, count]) => `${code}×${count}`);
  return (
    `  ${int(result.postsPerSecond)} POSTs/s answered 2xx (${int(result.ok)} in ${result.seconds.toFixed(1)} s, ${result.bodyBytes}-byte bodies, ` +
    `${result.concurrency} at a time; other answers: ${others.length ? others.join(' ') : 'none'}, errors: ${result.errors})`
  );
}

export function stepLine(step: SustainedStep): string {
  const { result } = step;
  return (
    `  ${`${int(step.rate)}/s`.padStart(7)}: ${int(result.scheduled)} due, ${int(result.accepted)} accepted, ${int(result.arrived)} arrived; ` +
    `send → arrival p50 ${ms(result.deliveryLatencyMs.p50)}, p99 ${ms(result.deliveryLatencyMs.p99)}, max ${ms(result.deliveryLatencyMs.max)}` +
    ` → ${step.failures.length ? `does not hold: ${step.failures.join('; ')}` : 'holds'}`
  );
}

export function sustainedLines(sustained: number | undefined, raw: RawHttpResult, target = TARGETS.sustainedPerSecond): string[] {
  if (sustained === undefined) return [`highest sustained rate: none (the first step did not hold); target ≥ ${int(target)} sends/s: not met`];
  return [
    `highest sustained rate: ${int(sustained)} sends/s = ${(sustained / raw.postsPerSecond).toFixed(3)} of raw HTTP (${int(raw.postsPerSecond)} POSTs/s); ` +
      `target ≥ ${int(target)} sends/s: ${sustained >= target ? 'met' : 'not met'}`,
  ];
}

/** A fan-out's arrivals and memory; with the raw HTTP baseline, also its ratio and the targets (the large one). */
export function fanoutLines(result: FanoutResult, raw?: RawHttpResult): string[] {
  if (result.status !== 200) return [`  the send was refused: ${result.status} ${result.error ?? ''}`];
  const lines = [
    `  send answered in ${ms(result.answerMs)}; ${int(result.arrived)} of ${int(result.destinations)} deliveries arrived` +
      `${result.complete ? '' : ' before the time-out'}, the first after ${ms(result.firstArrivalMs)}, the last after ${ms(result.lastArrivalMs)}; ` +
      `duplicates ${int(result.duplicates)}`,
    `  ${int(result.deliveriesPerSecond)} deliveries/s from the send to the last arrival` +
      (raw
        ? ` = ${(result.deliveriesPerSecond / raw.postsPerSecond).toFixed(3)} of raw HTTP (${int(raw.postsPerSecond)} POSTs/s); ` +
          `target ≥ ${TARGETS.fanoutRatio}: ${result.deliveriesPerSecond / raw.postsPerSecond >= TARGETS.fanoutRatio && result.complete ? 'met' : 'not met'}`
        : ''),
  ];
  const peaks = [...result.peakRss];
  lines.push(`  peak RSS while it ran: ${peaks.map(([label, bytes]) => `${label} ${mb(bytes)}`).join(', ')}`);
  if (!raw) return lines;
  const over = peaks.filter(([, bytes]) => (bytes ?? 0) >= TARGETS.rssBytes);
  lines.push(`  target: every process under ${mb(TARGETS.rssBytes)}: ${over.length ? `not met (${over.map(([label]) => label).join(', ')})` : 'met'}`);
  return lines;
}

export function soakLines(result: SoakResult): string[] {
  const { start, middle, end } = result.rss;
  const lines = [
    `  ${'RSS per process'.padEnd(24)} ${'start'.padStart(8)}${'middle'.padStart(8)}${'end'.padStart(8)}   flat? (end ≤ middle + max(${mb(FLAT_GROWTH.bytes)}, ${FLAT_GROWTH.fraction * 100} %))`,
  ];
  for (const [label, startBytes] of start) {
    const flat = isFlat(middle.get(label), end.get(label));
    lines.push(
      `  ${label.padEnd(24)} ${mb(startBytes).padStart(8)}${mb(middle.get(label)).padStart(8)}${mb(end.get(label)).padStart(8)}   ${flat === undefined ? '—' : flat ? 'yes' : 'no'}`,
    );
  }
  return lines;
}
