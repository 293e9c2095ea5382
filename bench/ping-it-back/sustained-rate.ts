import type { DeliveryLatencyResult } from './delivery-latency';

/** A step holds when every send is accepted, every one arrives, and p99 send → arrival stays under this. */
export const SUSTAINED_P99_LIMIT_MS = 1_000;

export interface SustainedStep {
  rate: number;
  result: DeliveryLatencyResult;
  /** Why the step did not hold; empty when it did. */
  failures: string[];
}

export interface SustainedRateResult {
  steps: SustainedStep[];
  /** The highest rate that held, every step below it holding too; undefined when the first step failed. */
  sustained: number | undefined;
}

export function stepFailures(result: DeliveryLatencyResult): string[] {
  const failures: string[] = [];
  const refused = [...result.notAccepted.values()].reduce((sum, count) => sum + count, 0);
  if (refused > 0) failures.push(`${refused} not accepted (${[...result.notAccepted].map(([reason, count]) => `${reason} ×${count}`).join(', ')})`);
  if (result.missing > 0) failures.push(`${result.missing} accepted but not arrived by the end of the drain`);
  if (!(result.deliveryLatencyMs.p99 < SUSTAINED_P99_LIMIT_MS)) failures.push(`p99 send → arrival not under ${SUSTAINED_P99_LIMIT_MS / 1000} s`);
  return failures;
}

/**
 * Steps an open-loop send rate up through `rates` and stops at the first step that does not hold: the rate
 * below it is the highest this stack sustains end to end. `runStep` measures one rate (open loop, with drain).
 */
export async function findSustainedRate(
  rates: readonly number[],
  runStep: (rate: number) => Promise<DeliveryLatencyResult>,
  onStep: (step: SustainedStep) => void,
): Promise<SustainedRateResult> {
  const steps: SustainedStep[] = [];
  let sustained: number | undefined;
  for (const rate of rates) {
    const result = await runStep(rate);
    const step = { rate, result, failures: stepFailures(result) };
    steps.push(step);
    onStep(step);
    if (step.failures.length > 0) break;
    sustained = rate;
  }
  return { steps, sustained };
}
