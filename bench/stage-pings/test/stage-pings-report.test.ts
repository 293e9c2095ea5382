import { benchMonitorId } from '../monitor-rows';
import { readExplain, type ExplainOutput } from '../explain-plan';
import type { RoundResult } from '../../ping-it-back/throughput-round';
import { countAnswers } from '../ping-round';
import { checkerLines, claimLines, cpuPerPingLine, pingRatioLines, summarizePingRounds } from '../report';
import { loadStagePingSettings } from '../settings';
import { stagePingPaths } from '../static-workflows';

const round = (target: RoundResult['target'], acceptedPerSecond: number, failures: Partial<RoundResult> = {}): RoundResult => ({
  target,
  seconds: 3,
  accepted: acceptedPerSecond * 3,
  acceptedPerSecond,
  otherStatuses: {},
  errors: 0,
  timeouts: 0,
  latencyMs: { p50: 1, p99: 2, max: 3 },
  ...failures,
});

describe('the ping rounds', () => {
  test('when autocannon counts answers by status, then only 200 is an accepted ping and every other status is kept by code', () => {
    expect(countAnswers({ '200': { count: 90 }, '201': { count: 5 }, '409': { count: 3 }, '503': { count: 2 }, '429': { count: 0 } })).toEqual({
      accepted: 90,
      otherStatuses: { '201': 5, '409': 3, '503': 2 },
    });
  });

  test('when rounds alternate, then the medians are of each side and only the gateway failures are summed', () => {
    const summary = summarizePingRounds([
      round('baseline', 9_000),
      round('gateway', 400, { otherStatuses: { '503': 2 }, timeouts: 1 }),
      round('baseline', 10_000),
      round('gateway', 600, { otherStatuses: { '503': 3, '409': 1 } }),
      round('baseline', 8_000, { errors: 7 }),
      round('gateway', 500),
    ]);
    expect(summary).toEqual({ baselineMedian: 9_000, gatewayMedian: 500, gatewayFailures: { '503': 5, '409': 1, timeouts: 1 } });
  });

  test('when the ratio is printed, then it stands next to the goal of 0.5 with met or not met, and the answers that were not 200 are listed', () => {
    expect(pingRatioLines({ baselineMedian: 9_000, gatewayMedian: 500, gatewayFailures: { '503': 5, errors: 2 } })).toEqual([
      'median accepted/s: baseline 9,000, gateway 500',
      'ratio gateway/baseline = 0.06   (goal ≥ 0.50: not met)',
      'stage pings the gateway did not answer 200, all rounds: 503 × 5, errors × 2',
    ]);
    const above = pingRatioLines({ baselineMedian: 1_000, gatewayMedian: 600, gatewayFailures: {} });
    expect(above.slice(1)).toEqual(['ratio gateway/baseline = 0.60   (goal ≥ 0.50: met)', 'stage pings the gateway did not answer 200, all rounds: none']);
  });

  test('when the CPU of the gateway rounds is divided by the pings they accepted, then each process gets its milliseconds per ping', () => {
    const seconds = new Map([['ingest-gateway', 0.5], ['workflow-tracker', 1.5]]);
    expect(cpuPerPingLine({ seconds }, 250, ['ingest-gateway', 'workflow-tracker', 'postgres (all)'])).toBe(
      'CPU per accepted ping over the gateway rounds: ingest-gateway 2.0 ms, workflow-tracker 6.0 ms, postgres (all) 0.0 ms (postgres and redis: the shared servers, other work included)',
    );
    expect(cpuPerPingLine({ seconds }, 0, ['ingest-gateway'])).toContain('ingest-gateway —');
  });

  test("when the pings' paths are made, then each workflow gets the seed's stage ping with the key in the query, escaped", () => {
    expect(stagePingPaths(['wf_1', 'wf 2'], 'pk_a+b')).toEqual(['/shk/wf_1?stage=1&key=pk_a%2Bb', '/shk/wf%202?stage=1&key=pk_a%2Bb']);
  });
});

describe('the checker pass', () => {
  const pass = { monitors: 100_000, due: 1_000, totalMs: 2_500, firstMs: 40, left: 0, postponed: 0, pollMs: 20, states: { down: 1_000 } };

  test('when every due monitor was handled, then it prints the rows, the total and the time per due monitor', () => {
    expect(checkerLines(pass)).toEqual([
      'rows existing   100,000 monitors with 100,000 heartbeat deadlines',
      'rows due        1,000, all at the same instant',
      'total           2500.0 ms from their due time until the last was handled (the first batch committed after 40.0 ms; polled every 20 ms)',
      'per due monitor 2.5 ms',
      'due monitors now: down 1,000; deadlines put off after a failed handler: 0',
    ]);
  });

  test('when some were left or failed, then it says it did not finish and divides by the handled ones only', () => {
    const lines = checkerLines({ ...pass, totalMs: 120_000, left: 200, postponed: 300, lastError: 'boom', states: { down: 500, late: 500 } });
    expect(lines[2]).toBe('total           NOT finished: 500 of 1,000 handled after 120.0 s, 200 left when the run stopped waiting');
    expect(lines[3]).toBe('per due monitor 240.0 ms');
    expect(lines[4]).toBe('due monitors now: down 500, late 500; deadlines put off after a failed handler: 300 (last error: boom)');
  });

  test('when monitors are numbered, then their ids are padded to seven digits', () => {
    expect([benchMonitorId(10), benchMonitorId(2), benchMonitorId(1_000_000)]).toEqual(['mon_bench_0000010', 'mon_bench_0000002', 'mon_bench_1000000']);
  });
});

describe('the claim query', () => {
  const output: ExplainOutput = {
    'Planning Time': 0.2,
    'Execution Time': 1.5,
    Plan: {
      'Node Type': 'Limit',
      'Actual Rows': 100,
      'Actual Loops': 1,
      Plans: [
        {
          'Node Type': 'Hash Join',
          'Actual Rows': 100,
          'Actual Loops': 1,
          Plans: [
            { 'Node Type': 'Index Scan', 'Index Name': 'deadlines_due_at_idx', 'Actual Rows': 1000, 'Actual Loops': 1 },
            { 'Node Type': 'Seq Scan', 'Relation Name': 'deadlines', 'Actual Rows': 2, 'Actual Loops': 3, 'Rows Removed by Filter': 7 },
          ],
        },
      ],
    },
  };

  test('when a plan is read, then its times are kept and its nodes are printed on one line with the rows each produced', () => {
    expect(readExplain(output)).toEqual({
      executionMs: 1.5,
      planningMs: 0.2,
      shape: 'Limit (100 rows) ← Hash Join (100 rows) ← [Index Scan using deadlines_due_at_idx (1000 rows) | Seq Scan on deadlines (6 rows, 7 filtered out)]',
    });
  });

  test('when the claim was measured at two table sizes, then the ratio of their medians is printed with the growth in rows', () => {
    const lines = claimLines(
      [
        { rows: 1_000, due: 1_000, runs: 5, medianMs: 0.5, planningMs: 0.1, shape: 'a' },
        { rows: 100_000, due: 1_000, runs: 5, medianMs: 0.6, planningMs: 0.1, shape: 'b' },
      ],
      100,
    );
    expect(lines[0]).toBe('1,000 due among   1,000 rows:    0.5 ms (planning 0.1 ms; median of 5)   a');
    expect(lines[2]).toMatch(/^ratio 100,000 rows \/ 1,000 rows = 1\.20 for 100 × the rows, the same 1,000 due \(one claim locks at most 100/);
  });
});

describe('the settings', () => {
  test('when nothing is set, then it measures 100,000 monitors with 1,000 due and spreads pings over one workflow per connection', () => {
    expect(loadStagePingSettings({})).toMatchObject({ rounds: 3, roundSeconds: 5, connections: 50, workflows: 50, monitors: 100_000, dueMonitors: 1_000 });
  });

  test('when a setting is not a whole number or more are due than exist, then it throws naming it', () => {
    expect(() => loadStagePingSettings({ BENCH_MONITORS: '1.5' })).toThrow(/BENCH_MONITORS must be a whole number/);
    expect(() => loadStagePingSettings({ BENCH_MONITORS: '10', BENCH_DUE_MONITORS: '11' })).toThrow(/must not exceed BENCH_MONITORS/);
  });
});
