import { createChannel } from '../../tests/support/api';
import { PING_IT_BACK_SERVICES } from '../../tests/support/stack';
import { section, type BenchContext } from './bench-context';
import { median } from './percentiles';
import { purgeWorkQueues } from './queue-purge';
import { ratioLines, roundLine } from './report';
import { SEND_BODY } from './settings';
import { TARGETS } from './targets';
import { runRound, type RoundResult } from './throughput-round';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The edge alone (item 3a): the throughput comparison with response-store, the dispatcher and the deliverer
 * paused (SIGSTOP), so the gateway does not share the two cores with everything downstream of it. Accepted sends
 * wait, durable, in their queue meanwhile (a channel without a webhook destination); afterwards the run purges
 * that backlog before it lets the consumers go on, so it disturbs no later phase.
 */
export async function runEdgeAlonePhase(context: BenchContext): Promise<{ baseline: number; gateway: number }> {
  const { settings, stack } = context;
  await context.waitForQuiet(settings.quietSeconds, { purge: true });
  const edgeChannel = await createChannel(stack);
  const edgeRound = (target: RoundResult['target']) =>
    context.measured(target === 'gateway' ? 'edge' : 'baseline', () =>
      runRound({
        target,
        url: target === 'gateway' ? `${stack.url}/v1/send/${edgeChannel.token}` : `${context.baseline.url}/v1/send/pbt_baseline`,
        body: SEND_BODY,
        connections: settings.connections,
        seconds: settings.roundSeconds,
      }),
    );
  section(`accepted sends per second, the edge alone: ${settings.rounds} alternating rounds of ${settings.roundSeconds} s, response-store, dispatcher and deliverer paused (SIGSTOP)`);
  const downstream = PING_IT_BACK_SERVICES.filter((name) => name !== 'ingest-gateway').map((name) => stack.services.get(name)!);
  const rounds: RoundResult[] = [];
  downstream.forEach((service) => service.kill('SIGSTOP'));
  try {
    for (let index = 1; index <= settings.rounds; index += 1) {
      for (const target of ['baseline', 'gateway'] as const) {
        const result = await edgeRound(target);
        rounds.push(result);
        console.log(roundLine(index, result));
      }
    }
    // The queue statistics lag a few seconds: let them catch up so the purge sees (and reports) the backlog.
    await sleep(5_000);
    const purged = await purgeWorkQueues(context.managementUrl, stack.env.RABBITMQ_URL!);
    console.log(`  (purged the backlog the paused consumers left, about ${purged.toLocaleString('en-US')} messages, before resuming them)`);
  } finally {
    downstream.forEach((service) => service.kill('SIGCONT'));
  }
  const medianOf = (target: RoundResult['target']) => median(rounds.filter((r) => r.target === target).map((r) => r.acceptedPerSecond));
  const medians = { baseline: medianOf('baseline'), gateway: medianOf('gateway') };
  for (const line of ratioLines(medians.baseline, medians.gateway, TARGETS.edgeRatio)) console.log(line);
  return medians;
}
