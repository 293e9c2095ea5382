import type { ChannelCredentials } from '../../tests/support/api';
import { section, type BenchContext } from './bench-context';
import { median } from './percentiles';
import { gatewayTimingLine, ratioLines, roundLine } from './report';
import { SEND_BODY } from './settings';
import { runRound, type RoundResult } from './throughput-round';

const WARM_UP_SECONDS = 2;

export interface ThroughputMedians {
  baseline: number;
  gateway: number;
}

/**
 * Item 1: accepted sends per second, closed loop, in rounds alternating between the empty Express route and
 * the gateway (full pipeline running). Before each baseline round the services work off what the gateway took.
 */
export async function runThroughputPhase(context: BenchContext, channel: ChannelCredentials): Promise<ThroughputMedians> {
  const { settings, stack, baseline, ledgers } = context;
  const round = (target: RoundResult['target'], seconds: number) =>
    runRound({
      target,
      url: target === 'gateway' ? `${stack.url}/v1/send/${channel.token}` : `${baseline.url}/v1/send/pbt_baseline`,
      body: SEND_BODY,
      connections: settings.connections,
      seconds,
      ...(target === 'gateway' && { onAccepted: (id: string) => ledgers.throughput.expect(id) }),
    });

  section(`warm-up (${WARM_UP_SECONDS} s each, not counted)`);
  for (const target of ['baseline', 'gateway'] as const) console.log(roundLine(0, await round(target, WARM_UP_SECONDS)));

  section(`accepted sends per second, full pipeline running: ${settings.rounds} alternating rounds of ${settings.roundSeconds} s, ${settings.connections} connections`);
  console.log('  baseline: an empty Express 5 route in its own process (express.json, answers {"ok":true,"id":"x"})');
  console.log('  gateway:  POST /v1/send/{token} (token lookup, rate limit, zod, publish confirmed by a quorum queue)');
  const rounds: RoundResult[] = [];
  for (let index = 1; index <= settings.rounds; index += 1) {
    for (const target of ['baseline', 'gateway'] as const) {
      // Only the gateway rounds leave work behind (the services deliver what they accepted).
      if (target === 'baseline') await context.waitForQuiet(settings.quietSeconds);
      const result = await context.measured(target, () => round(target, settings.roundSeconds), target === 'gateway' ? context.timings.gateway : undefined);
      rounds.push(result);
      console.log(roundLine(index, result));
    }
  }
  const medianOf = (target: RoundResult['target']) => median(rounds.filter((r) => r.target === target).map((r) => r.acceptedPerSecond));
  const medians = { baseline: medianOf('baseline'), gateway: medianOf('gateway') };
  for (const line of ratioLines(medians.baseline, medians.gateway)) console.log(line);
  console.log(gatewayTimingLine('gateway rounds', context.timings.gateway));
  return medians;
}
