import type { ChannelCredentials } from '../../tests/support/api';
import { section, type BenchContext } from './bench-context';
import { runMemorySoak, type SoakResult } from './memory-soak';
import { latencyLines } from './report';
import { soakLines } from './report-capacity';
import { SEND_BODY } from './settings';

/**
 * Item 3's memory soak: half the sustained rate for BENCH_SOAK_MINUTES, with every service's RSS at the start,
 * the middle and the end. Without a sustained rate (the first step failed) it runs at half the first step.
 */
export async function runSoakPhase(context: BenchContext, channel: ChannelCredentials, sustained: number | undefined): Promise<SoakResult | undefined> {
  const { settings } = context;
  if (settings.soakMinutes === 0) return undefined;
  const basis = sustained ?? settings.sustainedRates[0]!;
  const ratePerSecond = Math.max(1, Math.round(basis / 2));
  section(
    `memory soak: ${ratePerSecond} sends/s (half ${sustained === undefined ? `the first step, ${basis}/s: no step held` : `the sustained ${basis}/s`}) ` +
      `for ${settings.soakMinutes} min, open loop, RSS of every service at the start, middle and end`,
  );
  await context.waitForQuiet(settings.quietSeconds, { purge: true });
  const result = await context.measured('soak', () =>
    runMemorySoak({
      sendUrl: `${context.stack.url}/v1/send/${channel.token}`,
      body: SEND_BODY,
      receiver: context.latencyReceiver,
      ratePerSecond,
      minutes: settings.soakMinutes,
      drainSeconds: settings.drainSeconds,
      processes: context.serviceProcesses,
    }),
  );
  for (const id of result.latency.missingIds) context.ledgers.latency.expect(id);
  for (const line of latencyLines(result.latency, context.latencyReceiver.duplicates)) console.log(line);
  for (const line of soakLines(result)) console.log(line);
  return result;
}
