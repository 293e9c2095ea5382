/** Issue 11's targets for the figures of items 2 and 3 (the work budget's are in report-budget.ts, as text). */
export const TARGETS = {
  /** The edge alone, consumers paused: accepted sends/s as a fraction of the empty Express route. */
  edgeRatio: 0.6,
  sustainedPerSecond: 1_000,
  lowRateP50Ms: 25,
  lowRateP99Ms: 100,
  /** The large fan-out's deliveries/s as a fraction of the raw HTTP baseline. */
  fanoutRatio: 0.3,
  /** Every service's RSS during the large fan-out stays under this. */
  rssBytes: 200 * 2 ** 20,
};
