import type { ChannelCredentials } from '../../tests/support/api';
import { section, type BenchContext } from './bench-context';
import { runLatencyPhase } from './phase-latency';
import { stepLine } from './report-capacity';
import { findSustainedRate, SUSTAINED_P99_LIMIT_MS, type SustainedRateResult } from './sustained-rate';

/** Item 3b: the highest open-loop rate the whole stack carries with every send accepted and arrived, p99 < 1 s. */
export async function runSustainedPhase(context: BenchContext, channel: ChannelCredentials): Promise<SustainedRateResult> {
  const { settings } = context;
  section(
    `sustained end to end: open-loop steps of ${settings.stepSeconds} s at ${settings.sustainedRates.join(', ')} sends/s, ` +
      `each drained up to ${settings.stepDrainSeconds} s; a step holds when every send is accepted and arrives and ` +
      `p99 send → arrival < ${SUSTAINED_P99_LIMIT_MS / 1000} s; the first that does not hold ends it`,
  );
  return findSustainedRate(
    settings.sustainedRates,
    async (rate) =>
      (
        await runLatencyPhase(context, channel, {
          title: `step ${rate}/s`,
          ratePerSecond: rate,
          seconds: settings.stepSeconds,
          drainSeconds: settings.stepDrainSeconds,
          cpuPhase: 'sustained',
          purgeBacklog: true,
          quiet: true,
        })
      ).result,
    (step) => console.log(stepLine(step)),
  );
}
