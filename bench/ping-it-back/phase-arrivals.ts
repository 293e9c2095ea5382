import { PING_IT_BACK_SERVICES } from '../../tests/support/stack';
import { section, type BenchContext } from './bench-context';
import { readBrokerFailures } from './broker-failures';
import { peekLastError } from './queue-backlog';

/**
 * Did every accepted send arrive? Every id the gateway answered 200 for in the throughput rounds must reach the
 * throughput channel's webhook; what has not is listed with the work left in each queue, the retries waiting,
 * the parked messages and the services' own retry and park counters.
 */
export async function reportArrivals(context: BenchContext, latencyPhases: { accepted: number; arrived: number }[]): Promise<void> {
  const { stack, ledgers, sink } = context;
  section('did every accepted send arrive?');
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const queues = await context.readQueues();
  const pending = ledgers.throughput.pending();
  const writtenOff = ledgers.throughput.writtenOffMissing();
  console.log(
    `throughput channel: ${ledgers.throughput.expected} sends answered 200 (warm-up and rounds), ${ledgers.throughput.expected - pending - writtenOff} of them arrived, ` +
      `${pending} not yet${writtenOff ? `, ${writtenOff} purged by the bench` : ''}; ${ledgers.throughput.unexpected()} more arrived that were in flight when a round stopped; ` +
      `duplicates ${sink.duplicates}, unreadable ${sink.unreadable}`,
  );
  const accepted = latencyPhases.reduce((sum, result) => sum + result.accepted, 0);
  const arrived = latencyPhases.reduce((sum, result) => sum + result.arrived, 0);
  const latePending = ledgers.latency.pending();
  const lateWrittenOff = ledgers.latency.writtenOffMissing();
  console.log(
    `latency channel:    ${accepted} answered 200 in the open-loop phases, ${arrived} of them arrived by the end of their drain, ` +
      `${accepted - arrived - latePending - lateWrittenOff} later; ${latePending} have not arrived yet` +
      `${lateWrittenOff ? `, ${lateWrittenOff} were purged by the bench` : ''}`,
  );
  const listed = (counts: Record<string, number>) =>
    Object.keys(counts).length ? Object.entries(counts).map(([queue, count]) => `${queue} ${count}`).join(', ') : 'none';
  console.log('queues (management API figures, a few seconds old):');
  console.log(`  work queues:        ${listed(queues.work)}`);
  console.log(`  waiting for retry:  ${listed(queues.retrying)}`);
  console.log(`  parked:             ${listed(queues.parked)}`);
  const failures = await readBrokerFailures(PING_IT_BACK_SERVICES.map((name) => `http://127.0.0.1:${stack.services.get(name)!.healthPort}`));
  const counted = (counts: Map<string, number>) => (counts.size ? [...counts].map(([queue, count]) => `${queue} ${count}`).join(', ') : 'none');
  console.log(`messages retried during the run (services' /metrics): ${counted(failures.retried)}`);
  console.log(`messages parked during the run:                       ${counted(failures.parked)}`);
  for (const queue of [...Object.keys(queues.retrying), ...Object.keys(queues.parked)]) {
    const lastError = await peekLastError(context.managementUrl, stack.env.RABBITMQ_URL!, queue).catch((error: unknown) => `(could not look: ${String(error)})`);
    console.log(`  first message in ${queue}: ${lastError ?? '(gone, or no error header)'}`);
  }
}
