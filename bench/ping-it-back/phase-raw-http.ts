import { send, type ChannelCredentials } from '../../tests/support/api';
import { section, type BenchContext } from './bench-context';
import { measureRawHttp, type RawHttpResult } from './raw-http-baseline';
import { rawHttpLine } from './report-capacity';
import { SEND_BODY } from './settings';

const PROBE_SECONDS = 15;
const FALLBACK_BODY_BYTES = 1_000;

/**
 * The raw HTTP baseline of the sustained and fan-out figures. One send first goes all the way to the latency
 * receiver, so the baseline posts bodies the size of a real webhook, to that same receiver.
 */
export async function runRawHttpPhase(context: BenchContext, channel: ChannelCredentials): Promise<RawHttpResult> {
  const { settings, latencyReceiver } = context;
  section(`raw HTTP baseline: one Node process POSTs to the loopback sink, ${settings.rawConcurrency} at a time on keep-alive sockets, for ${settings.rawSeconds} s`);
  const probeId = await send(context.stack, channel.token, SEND_BODY);
  const deadline = performance.now() + PROBE_SECONDS * 1000;
  while (!latencyReceiver.arrivals.has(probeId) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  const arrived = latencyReceiver.arrivals.has(probeId);
  if (!arrived) console.log(`  (the probe send did not reach its webhook within ${PROBE_SECONDS} s: posting ${FALLBACK_BODY_BYTES}-byte bodies instead)`);
  const result = await measureRawHttp({
    url: latencyReceiver.url,
    bodyBytes: arrived ? latencyReceiver.lastBodyBytes : FALLBACK_BODY_BYTES,
    concurrency: settings.rawConcurrency,
    seconds: settings.rawSeconds,
  });
  console.log(rawHttpLine(result));
  return result;
}
