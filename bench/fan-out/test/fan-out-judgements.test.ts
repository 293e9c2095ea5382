import { checkDeliveries, destinationPath, type Arrived } from '../delivery-check';
import { parseOptions } from '../options';

/** What the sink would have counted for these POSTs, each `[path, webhook-id]`. */
function arrivedFrom(posts: [string, string | undefined][]): Arrived {
  const arrivals = new Map<string, number>();
  const paths = new Map<string, number>();
  let duplicates = 0;
  let unreadable = 0;
  for (const [path, id] of posts) {
    paths.set(path, (paths.get(path) ?? 0) + 1);
    if (id === undefined) unreadable += 1;
    else if (arrivals.has(id)) duplicates += 1;
    else arrivals.set(id, 0);
  }
  return { arrivals, duplicates, unreadable, paths };
}

const onePerDestination = (count: number): [string, string][] => Array.from({ length: count }, (_, i) => [destinationPath(i), `dlv_${i}`]);

describe('the fan-out delivery check', () => {
  test('when every destination got one POST with its own webhook-id, then the fan-out is exact', () => {
    expect(checkDeliveries(arrivedFrom(onePerDestination(3)), 3)).toMatchObject({ exact: true, distinctIds: 3, missingPaths: 0 });
  });

  test('when a delivery arrived a second time with the same webhook-id, then it is not exact and counts one duplicate', () => {
    const check = checkDeliveries(arrivedFrom([...onePerDestination(3), [destinationPath(1), 'dlv_1']]), 3);
    expect(check).toMatchObject({ exact: false, distinctIds: 3, duplicateIds: 1, repeatedPaths: 1 });
  });

  test('when a destination got two POSTs under different webhook-ids, then it is not exact though every id is distinct', () => {
    const check = checkDeliveries(arrivedFrom([[destinationPath(0), 'a'], [destinationPath(0), 'b']]), 2);
    expect(check).toMatchObject({ exact: false, distinctIds: 2, duplicateIds: 0, repeatedPaths: 1, missingPaths: 1 });
  });

  test('when POSTs go to a path of no destination or carry no webhook-id, then it is not exact', () => {
    expect(checkDeliveries(arrivedFrom([...onePerDestination(2), ['/d/2', 'x']]), 2)).toMatchObject({ exact: false, unexpectedPaths: 1 });
    expect(checkDeliveries(arrivedFrom([[destinationPath(0), undefined]]), 1)).toMatchObject({ exact: false, withoutId: 1, distinctIds: 0 });
  });
});

describe('the command line', () => {
  test('when no arguments are given, then it fans out to 10,000 destinations with one dispatcher', () => {
    expect(parseOptions([])).toEqual({ destinations: 10_000, dispatchers: 1, timeoutSeconds: 600 });
  });

  test('when arguments are given either way, then each one is taken', () => {
    expect(parseOptions(['--destinations', '200', '--dispatchers=2', '--timeout', '60'])).toEqual({ destinations: 200, dispatchers: 2, timeoutSeconds: 60 });
  });

  test('when an argument is unknown, missing its value or not a whole number of at least 1, then it throws with the usage', () => {
    expect(() => parseOptions(['--copies', '2'])).toThrow(/unknown argument "--copies"[\s\S]*usage/);
    expect(() => parseOptions(['--destinations'])).toThrow(/--destinations takes a whole number/);
    expect(() => parseOptions(['--dispatchers', '0'])).toThrow(/--dispatchers takes a whole number/);
    expect(() => parseOptions(['--destinations', '1.5'])).toThrow(/--destinations takes a whole number/);
  });
});
