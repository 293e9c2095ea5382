import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { budgetLines } from '../report-budget';
import { measureWorkBudget, type WorkBudget } from '../work-budget';
import { counterDelta, ratePerSecond, readWorkCounters, withoutBackground, type ProcessCounters } from '../work-counters';

/** A /metrics endpoint that serves whatever text the test sets, as prom-client would write it. */
async function metricsServer(): Promise<{ url: string; set(text: string): void; close(): Promise<void> }> {
  let text = '';
  const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(text));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    set: (next) => (text = next),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The table row of a counter (or of one of its labels). */
const rowOf = (lines: string[], title: string) => lines.find((line) => line.trimStart().startsWith(title));

const budgetOf = (sends: number, process: string, counters: ProcessCounters): WorkBudget => ({
  sends,
  perProcess: new Map([[process, counters]]),
  backgroundPerSecond: new Map(),
  seconds: 1,
  settled: true,
  startedAtRest: true,
});

const BEFORE_THE_COUNTERS = `# HELP pingback_redis_fail_open_total Operations that went ahead without Redis
# TYPE pingback_redis_fail_open_total counter
`;

const publishes = (byExchange: Record<string, number>) =>
  `# HELP pingback_broker_publishes_confirmed_total Confirmed publishes
# TYPE pingback_broker_publishes_confirmed_total counter
${Object.entries(byExchange)
  .map(([exchange, count]) => `pingback_broker_publishes_confirmed_total{exchange="${exchange}",service="webhook-deliverer"} ${count}`)
  .join('\n')}
# HELP pingback_db_commits_total Postgres commits
# TYPE pingback_db_commits_total counter
pingback_db_commits_total{service="webhook-deliverer"} ${Object.values(byExchange).reduce((sum, count) => sum + count, 0) * 2}
# HELP pingback_internal_calls_total Internal HTTP calls
# TYPE pingback_internal_calls_total counter
`;

describe('work counters', () => {
  let server: Awaited<ReturnType<typeof metricsServer>>;
  beforeAll(async () => {
    server = await metricsServer();
  });
  afterAll(() => server.close());

  test('when a service exports none of the work counters, then each reads as not exported', async () => {
    server.set(BEFORE_THE_COUNTERS);
    const counters = await readWorkCounters(server.url);
    expect([...counters.values()].map((reading) => reading.exported)).toEqual([false, false, false, false]);
    const lines = budgetLines(budgetOf(10, 'webhook-deliverer', counters));
    expect(rowOf(lines, 'Postgres commits')).toMatch(/not exported\s+not exported$/);
  });

  test('when a labelled counter has counted nothing yet, then it reads as exported at 0', async () => {
    server.set(publishes({}));
    const counters = await readWorkCounters(server.url);
    expect(counters.get('pingback_internal_calls_total')).toEqual({ exported: true, total: 0, byLabel: new Map() });
    expect(counters.get('pingback_outgoing_connections_total')!.exported).toBe(false);
  });

  test('when publishes go to the default exchange and a named one, then both are kept by label and the delta divides per send', async () => {
    server.set(publishes({ '': 1, 'pingback.events': 5 }));
    const before = await readWorkCounters(server.url);
    server.set(publishes({ '': 3, 'pingback.events': 25 }));
    const delta = counterDelta(before, await readWorkCounters(server.url));
    const confirmed = delta.get('pingback_broker_publishes_confirmed_total')!;
    expect(confirmed.total).toBe(22);
    expect(confirmed.byLabel).toEqual(new Map([['', 2], ['pingback.events', 20]]));
    const lines = budgetLines(budgetOf(10, 'webhook-deliverer', delta), { deliveries: 20 });
    expect(rowOf(lines, 'confirmed publishes')).toMatch(/2\.20\s+2\.20\s+1\.10$/);
    expect(rowOf(lines, "exchange ''")).toMatch(/0\.20\s+0\.20\s+0\.10$/);
    expect(rowOf(lines, 'Postgres commits')).toMatch(/4\.40\s+4\.40\s+2\.20$/);
  });

  test('when a service commits on a timer at rest, then that rate over the window is taken out of the phase, never below 0', async () => {
    server.set(publishes({ '': 0 }));
    const rest = await readWorkCounters(server.url);
    server.set(publishes({ '': 1 }));
    const background = ratePerSecond(rest, await readWorkCounters(server.url), 2);
    expect(background.get('pingback_db_commits_total')!.total).toBe(1);
    server.set(publishes({ '': 10 }));
    const phase = counterDelta(rest, await readWorkCounters(server.url));
    const net = withoutBackground(phase, background, 4);
    expect(net.get('pingback_db_commits_total')!.total).toBe(20 - 4);
    expect(net.get('pingback_broker_publishes_confirmed_total')!.byLabel.get('')).toBe(10 - 0.5 * 4);
    expect(withoutBackground(phase, background, 60).get('pingback_db_commits_total')!.total).toBe(0);
  });

  test('when earlier work is still being published, then the budget waits for rest and does not count that work as background', async () => {
    let published = 0;
    server.set(publishes({ '': published }));
    const earlierWork = setInterval(() => server.set(publishes({ '': (published += 3) })), 300);
    setTimeout(() => clearInterval(earlierWork), 2_500);
    const { budget } = await measureWorkBudget([{ label: 'webhook-deliverer', healthUrl: server.url }], async () => 0, async () => undefined);
    clearInterval(earlierWork);
    expect(budget.startedAtRest).toBe(true);
    expect(budget.backgroundPerSecond.get('pingback_broker_publishes_confirmed_total')).toBe(0);
  }, 30_000);

  test('when the work goes on after the phase returns, then the budget waits until the counters stop moving', async () => {
    server.set(publishes({ '': 0 }));
    let accepted = 0;
    const { budget } = await measureWorkBudget([{ label: 'webhook-deliverer', healthUrl: server.url }], async () => accepted, async () => {
      accepted = 4;
      // The trailing work: outcomes published after the phase itself has returned.
      setTimeout(() => server.set(publishes({ '': 4 })), 700);
    });
    expect(budget.sends).toBe(4);
    expect(budget.settled).toBe(true);
    expect(budget.perProcess.get('webhook-deliverer')!.get('pingback_broker_publishes_confirmed_total')!.total).toBe(4);
  });
});
