import type { ChannelCredentials } from '../../tests/support/api';
import { section, type BenchContext, type CpuPhase } from './bench-context';
import { measureDeliveryLatency, type DeliveryLatencyResult } from './delivery-latency';
import { latencyLines } from './report';
import { budgetLines } from './report-budget';
import { SEND_BODY } from './settings';
import { measureWorkBudget, type WorkBudget } from './work-budget';

/** How long a phase that measures the work budget waits, after its drain, for the rest of its sends to arrive. */
const BUDGET_ARRIVAL_WAIT_SECONDS = 60;

export interface LatencyPhaseOptions {
  title: string;
  ratePerSecond: number;
  seconds: number;
  drainSeconds: number;
  /** Also read the services' work counters around it: the single-destination work budget. */
  budget?: boolean;
  cpuPhase?: CpuPhase;
  /** Purge the work queues when what earlier phases left has not arrived within BENCH_QUIET_SECONDS. */
  purgeBacklog?: boolean;
  /** Leave out the section header and path line (the sustained steps print their own). */
  quiet?: boolean;
}

/**
 * Open-loop sends at a steady rate to the latency channel, timed from each send's due time to its webhook's
 * arrival, after waiting for the machine to be quiet. What has not arrived by the end of the drain goes into the
 * latency ledger, so the next phase waits for it too.
 */
export async function runLatencyPhase(
  context: BenchContext,
  channel: ChannelCredentials,
  options: LatencyPhaseOptions,
): Promise<{ result: DeliveryLatencyResult; budget?: WorkBudget }> {
  if (!options.quiet) {
    section(options.title);
    console.log('  path: gateway → response-store → notification-dispatcher → webhook-deliverer → loopback receiver');
  }
  await context.waitForQuiet(context.settings.quietSeconds, { purge: options.purgeBacklog ?? false });
  const measure = () =>
    context.measured(
      options.cpuPhase ?? 'latency',
      () =>
        measureDeliveryLatency({
          sendUrl: `${context.stack.url}/v1/send/${channel.token}`,
          body: SEND_BODY,
          receiver: context.latencyReceiver,
          ratePerSecond: options.ratePerSecond,
          seconds: options.seconds,
          drainSeconds: options.drainSeconds,
        }),
      context.timings.latency,
    );
  // The budget holds the work of every send of the phase: it waits for the ones still on their way first.
  const measureAndFinish = async () => {
    const measured = await measure();
    const start = performance.now();
    const left = () => measured.missingIds.filter((id) => !context.latencyReceiver.arrivals.has(id)).length;
    while (left() > 0 && performance.now() - start < BUDGET_ARRIVAL_WAIT_SECONDS * 1000) await new Promise((resolve) => setTimeout(resolve, 100));
    if (measured.missing > 0) {
      console.log(`  (the work budget waited ${((performance.now() - start) / 1000).toFixed(1)} s for the ${measured.missing} sends not arrived by the drain: ${left()} left)`);
    }
    return measured;
  };
  const { result, budget } = options.budget
    ? await measureWorkBudget(context.services, context.acceptedSends, measureAndFinish)
    : { result: await measure(), budget: undefined };
  for (const id of result.missingIds) context.ledgers.latency.expect(id);
  if (!options.quiet) for (const line of latencyLines(result, context.latencyReceiver.duplicates)) console.log(line);
  if (budget) {
    console.log('work budget per accepted send, single destination, over this phase and the work it left behind:');
    for (const line of budgetLines(budget)) console.log(line);
  }
  return { result, ...(budget && { budget }) };
}
