import type { BaselineProcess } from '../ping-it-back/baseline-process';
import { section } from '../ping-it-back/bench-context';
import { roundLine } from '../ping-it-back/report';
import type { RoundResult } from '../ping-it-back/throughput-round';
import type { CpuPhases } from './cpu-phases';
import { runPingRound } from './ping-round';
import { cpuPerPingLine, PING_PATH_PROCESSES, pingRatioLines, summarizePingRounds, type PingSummary } from './report';
import type { StagePingSettings } from './settings';
import { waitUntilIdle } from './settle';

const WARM_UP_SECONDS = 2;
/** After a gateway round, how long to wait at most for the pings still under way in the services. */
const SETTLE_SECONDS = 10;

/**
 * Item 1: accepted stage pings per second, closed loop, in rounds alternating between the empty Express route
 * and the gateway (which forwards each ping to workflow-tracker), both asked for the same paths.
 */
export async function runPingPhase(
  options: { settings: StagePingSettings; gatewayUrl: string; baseline: BaselineProcess; paths: readonly string[]; cpu: CpuPhases; pingPath: readonly number[] },
): Promise<PingSummary> {
  const { settings, cpu } = options;
  const round = (target: RoundResult['target'], seconds: number) =>
    runPingRound({ target, origin: target === 'gateway' ? options.gatewayUrl : options.baseline.url, paths: options.paths, connections: settings.connections, seconds });

  section(`warm-up (${WARM_UP_SECONDS} s each, not counted)`);
  for (const target of ['baseline', 'gateway'] as const) console.log(roundLine(0, await round(target, WARM_UP_SECONDS)));
  await waitUntilIdle(options.pingPath, SETTLE_SECONDS);

  section(`accepted stage pings per second: ${settings.rounds} alternating rounds of ${settings.roundSeconds} s, ${settings.connections} connections`);
  console.log('  baseline: an empty Express 5 route in its own process (GET /shk/:id, answers a body like the seed\'s)');
  console.log('  gateway:  GET /shk/{id}?stage=1&key=KEY (key check, rate limit, forwarded to workflow-tracker: a new instance, started and completed)');
  const rounds: RoundResult[] = [];
  for (let index = 1; index <= settings.rounds; index += 1) {
    for (const target of ['baseline', 'gateway'] as const) {
      if (target === 'baseline' && rounds.length > 0) {
        const waited = await waitUntilIdle(options.pingPath, SETTLE_SECONDS);
        console.log(`  (waited ${waited.toFixed(1)} s for the pings still under way in the gateway and the tracker to end)`);
      }
      const result = await cpu.measured(target, () => round(target, settings.roundSeconds));
      rounds.push(result);
      console.log(roundLine(index, result));
    }
  }
  const summary = summarizePingRounds(rounds);
  for (const line of pingRatioLines(summary)) console.log(line);
  const accepted = rounds.filter((r) => r.target === 'gateway').reduce((sum, r) => sum + r.accepted, 0);
  console.log(cpuPerPingLine(cpu.accounts.gateway, accepted, PING_PATH_PROCESSES));
  return summary;
}
