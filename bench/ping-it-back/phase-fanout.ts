import { createChannel, type ChannelCredentials } from '../../tests/support/api';
import { section, type BenchContext } from './bench-context';
import { measureFanout, type FanoutResult } from './fanout-delivery';
import { growDestinations } from './fanout-channel';
import { budgetLines } from './report-budget';
import { fanoutLines } from './report-capacity';
import { SEND_BODY } from './settings';
import type { RawHttpResult } from './raw-http-baseline';
import { measureWorkBudget, type WorkBudget } from './work-budget';

export interface FanoutPhaseResult {
  /** The work budget of one send to the budget fan-out channel, with what that send's fan-out did. */
  budget?: { budget: WorkBudget; fanout: FanoutResult };
  /** The large fan-out: delivery rate and every service's peak memory. */
  large?: FanoutResult;
}

/** A fan-out channel, grown one destination at a time through the management API as it is needed. */
class FanoutChannel {
  private count = 0;
  private constructor(
    private readonly context: BenchContext,
    readonly channel: ChannelCredentials,
  ) {}

  static async create(context: BenchContext): Promise<FanoutChannel> {
    return new FanoutChannel(context, await createChannel(context.stack));
  }

  get destinations(): number {
    return this.count;
  }

  /** Grows the channel to `target` destinations; false (having said why) when the gateway refused on the way. */
  async growTo(target: number): Promise<boolean> {
    if (target <= this.count) return true;
    const grown = await growDestinations(this.context.stack, this.channel, {
      sinkUrl: this.context.fanoutReceiver.url,
      from: this.count,
      target,
      concurrency: this.context.settings.destinationConcurrency,
    });
    const added = grown.count - this.count;
    this.count = grown.count;
    console.log(
      `  added ${added.toLocaleString('en-US')} webhook destinations through POST /api/channels/{id}/destinations in ${grown.seconds.toFixed(1)} s ` +
        `(${(added / grown.seconds).toFixed(0)}/s, ${this.context.settings.destinationConcurrency} at a time): the channel has ${this.count.toLocaleString('en-US')}` +
        (grown.retried ? `; ${grown.retried} requests failed on the gateway's side (5xx or no answer) and were tried again` : ''),
    );
    if (grown.refused === undefined) return true;
    console.log(`  the gateway refused destination ${(this.count + 1).toLocaleString('en-US')} of ${target.toLocaleString('en-US')}: ${grown.refused}`);
    return false;
  }
}

/**
 * Item 2b and item 3's fan-out: one send to a channel with BENCH_BUDGET_FANOUT_DESTINATIONS webhook
 * destinations between two readings of the work counters, then one send to a channel with
 * BENCH_FANOUT_DESTINATIONS, timed until every delivery arrived, every service's RSS sampled throughout. The
 * channel grows from the first size to the second when the second is larger.
 */
export async function runFanoutPhase(context: BenchContext, raw: RawHttpResult): Promise<FanoutPhaseResult> {
  const { settings } = context;
  await context.waitForQuiet(settings.quietSeconds, { purge: true });
  const fanout = (channel: FanoutChannel) =>
    context.measured('fanout', () =>
      measureFanout({
        sendUrl: `${context.stack.url}/v1/send/${channel.channel.token}`,
        body: SEND_BODY,
        receiver: context.fanoutReceiver,
        destinations: channel.destinations,
        timeoutSeconds: settings.fanoutTimeoutSeconds,
        processes: context.serviceProcesses,
      }),
    );
  const result: FanoutPhaseResult = {};

  section(`work budget of a ${settings.budgetFanoutDestinations.toLocaleString('en-US')}-destination fan-out: one send`);
  const shared = await FanoutChannel.create(context);
  if (await shared.growTo(settings.budgetFanoutDestinations)) {
    const { result: measured, budget } = await measureWorkBudget(context.services, context.acceptedSends, () => fanout(shared));
    for (const line of fanoutLines(measured)) console.log(line);
    for (const line of budgetLines(budget, { deliveries: measured.arrived })) console.log(line);
    result.budget = { budget, fanout: measured };
  } else {
    console.log(`  the fan-out work budget could not be measured: the channel reached ${shared.destinations.toLocaleString('en-US')} destinations`);
  }

  section(`fan-out: one send to a channel with ${settings.fanoutDestinations.toLocaleString('en-US')} webhook destinations`);
  const large = settings.fanoutDestinations >= shared.destinations ? shared : await FanoutChannel.create(context);
  if (await large.growTo(settings.fanoutDestinations)) {
    result.large = await fanout(large);
    for (const line of fanoutLines(result.large, raw)) console.log(line);
  } else {
    console.log(`  the fan-out phase could not run: the channel reached ${large.destinations.toLocaleString('en-US')} destinations`);
  }
  return result;
}
