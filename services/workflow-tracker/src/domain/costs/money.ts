// Money is kept in integer micro-dollars (bigint in Postgres and in sums), never summed as floating point. A user's
// dollar amount is rounded to the nearest micro-dollar once, where it comes in.

const MICROS_PER_USD = 1_000_000;

/**
 * The most a run's timeline, a workflow's day or an agent's day may add up to: $1,000,000,000. Far below what a
 * bigint holds, so a ping that would pass it is refused (400) rather than overflow a total.
 */
export const MAX_TOTAL_MICROS = 1_000_000_000_000_000n;

/** A dollar amount as sent (finite, at most a billion) in micro-dollars. */
export const usdToMicros = (usd: number): bigint => BigInt(Math.round(usd * MICROS_PER_USD));

/** Micro-dollars as the API shows them: a JSON number of dollars (45000 → 0.045). */
export const microsToUsd = (micros: bigint | number): number => Number(micros) / MICROS_PER_USD;

/** An amount that may be unknown, as the API shows it: dollars, or null. */
export const usdOrNull = (micros: bigint | null): number | null => (micros === null ? null : microsToUsd(micros));

/** How many decimals an amount needs: 2 (cents) up to 6 (micro-dollars). */
const decimalsOf = (micros: bigint): number => Math.max(2, ((micros < 0n ? -micros : micros) % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '').length);

/** For people: "$105.50", "$0.000225" (cents when the amount has no finer part, or `decimals` when more are wanted). */
export function formatUsd(micros: bigint, decimals = decimalsOf(micros)): string {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const fraction = (abs % 1_000_000n).toString().padStart(6, '0').slice(0, decimals);
  return `${negative ? '-' : ''}$${abs / 1_000_000n}.${fraction}`;
}

/** Two amounts set side by side, with the same decimals: "$0.561 … $0.500". */
export function formatUsdPair(a: bigint, b: bigint): [string, string] {
  const decimals = Math.max(decimalsOf(a), decimalsOf(b));
  return [formatUsd(a, decimals), formatUsd(b, decimals)];
}

/** Rounds a non-negative rational amount of micro-dollars (numerator / denominator) half up. */
export const roundedDivision = (numerator: bigint, denominator: bigint): bigint => (numerator * 2n + denominator) / (denominator * 2n);
