/** The path of destination `index` on the sink: every destination has its own. */
export const destinationPath = (index: number): string => `/d/${index}`;

/** What arrived, as the sink counted it (WebhookSink has these fields). */
export interface Arrived {
  /** First arrival per webhook-id. */
  arrivals: ReadonlyMap<string, number>;
  /** POSTs whose webhook-id had arrived before. */
  duplicates: number;
  /** POSTs without a webhook-id. */
  unreadable: number;
  /** POSTs per path. */
  paths: ReadonlyMap<string, number>;
}

export interface DeliveryCheck {
  expected: number;
  distinctIds: number;
  /** POSTs whose webhook-id had arrived before. */
  duplicateIds: number;
  /** Destinations that got no POST. */
  missingPaths: number;
  /** POSTs beyond the first to a destination's path (whatever their webhook-id). */
  repeatedPaths: number;
  /** POSTs to a path that is none of the `expected` destinations'. */
  unexpectedPaths: number;
  withoutId: number;
  /** Exactly one POST to each destination, each with its own webhook-id, and nothing else. */
  exact: boolean;
}

/** Did each of `expected` destinations (destinationPath(0 … expected-1)) get exactly one delivery, none twice? */
export function checkDeliveries(arrived: Arrived, expected: number): DeliveryCheck {
  let missingPaths = 0;
  for (let index = 0; index < expected; index += 1) if (!arrived.paths.has(destinationPath(index))) missingPaths += 1;
  let repeatedPaths = 0;
  let unexpectedPaths = 0;
  for (const [path, count] of arrived.paths) {
    const index = /^\/d\/(\d+)$/.exec(path)?.[1];
    if (index === undefined || Number(index) >= expected) unexpectedPaths += count;
    else repeatedPaths += count - 1;
  }
  const check = {
    expected,
    distinctIds: arrived.arrivals.size,
    duplicateIds: arrived.duplicates,
    missingPaths,
    repeatedPaths,
    unexpectedPaths,
    withoutId: arrived.unreadable,
  };
  const exact =
    check.distinctIds === expected && check.duplicateIds === 0 && missingPaths === 0 && repeatedPaths === 0 && unexpectedPaths === 0 && check.withoutId === 0;
  return { ...check, exact };
}
