// Money is kept in integer micro-dollars (bigint in Postgres and in sums), never summed as floating point. A user's
// dollar amount is rounded to the nearest micro-dollar once, where it comes in.

const MICROS_PER_USD = 1_000_000;

/** A dollar amount as sent (finite, at most a billion) in micro-dollars. */
export const usdToMicros = (usd: number): bigint => BigInt(Math.round(usd * MICROS_PER_USD));

/** Micro-dollars as the API shows them: a JSON number of dollars (45000 → 0.045). */
export const microsToUsd = (micros: bigint | number): number => Number(micros) / MICROS_PER_USD;

/** For people: "$105.50", "$0.000225" (cents when the amount has no finer part). */
export function formatUsd(micros: bigint): string {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const dollars = abs / 1_000_000n;
  const fraction = (abs % 1_000_000n).toString().padStart(6, '0');
  const shown = fraction.endsWith('0000') ? fraction.slice(0, 2) : fraction.replace(/0+$/, '');
  return `${negative ? '-' : ''}$${dollars}.${shown}`;
}

/** Rounds a non-negative rational amount of micro-dollars (numerator / denominator) half up. */
export const roundedDivision = (numerator: bigint, denominator: bigint): bigint => (numerator * 2n + denominator) / (denominator * 2n);
