import type { DeliveryLatencyResult } from '../delivery-latency';
import { isFlat } from '../memory-soak';
import { summarize } from '../percentiles';
import { findSustainedRate } from '../sustained-rate';

const MB = 2 ** 20;

/** A step's result: every send accepted, `arrivalMs` for each, `refused` more answered 503. */
function stepResult(arrivalMs: number[], options: { refused?: number; missing?: number } = {}): DeliveryLatencyResult {
  const missing = options.missing ?? 0;
  return {
    scheduled: arrivalMs.length + missing + (options.refused ?? 0),
    accepted: arrivalMs.length + missing,
    notAccepted: options.refused ? new Map([['503 service_unavailable', options.refused]]) : new Map(),
    acceptLatencyMs: summarize(arrivalMs.map(() => 5)),
    deliveryLatencyMs: summarize([...arrivalMs, ...Array<number>(missing).fill(Infinity)]),
    arrived: arrivalMs.length,
    missing,
    missingIds: Array.from({ length: missing }, (_, i) => `msg_${i}`),
    drainedAfterMs: 0,
    pacerLagMs: 0,
  };
}

describe('the sustained rate ladder', () => {
  test('when the third step misses p99 < 1 s, then the sustained rate is the second and no fourth step runs', async () => {
    const results: Record<number, DeliveryLatencyResult> = {
      25: stepResult(Array(100).fill(20)),
      50: stepResult(Array(100).fill(900)),
      100: stepResult([...Array<number>(98).fill(30), 1_200, 1_300]),
      200: stepResult(Array(100).fill(20)),
    };
    const tried: number[] = [];
    const ladder = await findSustainedRate([25, 50, 100, 200], async (rate) => (tried.push(rate), results[rate]!), () => undefined);
    expect(tried).toEqual([25, 50, 100]);
    expect(ladder.sustained).toBe(50);
    expect(ladder.steps[2]!.failures).toEqual(['p99 send → arrival not under 1 s']);
  });

  test('when one send of a fast step is refused or one never arrives, then the step does not hold', async () => {
    const refused = await findSustainedRate([25], async () => stepResult(Array(100).fill(10), { refused: 1 }), () => undefined);
    expect(refused.sustained).toBeUndefined();
    expect(refused.steps[0]!.failures[0]).toMatch(/^1 not accepted/);
    const lost = await findSustainedRate([25], async () => stepResult(Array(1000).fill(10), { missing: 1 }), () => undefined);
    expect(lost.steps[0]!.failures).toEqual(['1 accepted but not arrived by the end of the drain']);
  });
});

describe('a flat memory soak', () => {
  test('when RSS grows from the middle to the end by no more than 20 MB or 10 %, then it is flat; a little more is not', () => {
    expect(isFlat(100 * MB, 120 * MB)).toBe(true);
    expect(isFlat(100 * MB, 121 * MB)).toBe(false);
    expect(isFlat(300 * MB, 330 * MB)).toBe(true);
    expect(isFlat(300 * MB, 331 * MB)).toBe(false);
    expect(isFlat(300 * MB, 200 * MB)).toBe(true);
    expect(isFlat(undefined, 200 * MB)).toBeUndefined();
  });
});
