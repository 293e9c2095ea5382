/**
 * The fan-out benchmark (issue 12): one send to a channel with N webhook destinations, delivered by the compiled
 * services with production durability, against N raw HTTP POSTs from one Node process to the same loopback sink
 * measured just before. Prints deliveries per second and their ratio to the baseline, whether exactly N distinct
 * deliveries arrived (none twice), and each service process's peak RSS. It prints; it never asserts a time.
 *
 *   bench/node_modules/.bin/tsx bench/fan-out/run.ts [--destinations 10000] [--dispatchers 1] [--timeout 600]
 *
 * See bench/README.md, "Fan-out".
 */
import { managementUrlFor } from '@pingback/testing';
import { createChannel, send } from '../../tests/support/api';
import { section, loadAverage } from '../ping-it-back/bench-context';
import { CpuAccount, pidsNamed, takeCpuSnapshot, type ProcessGroup } from '../ping-it-back/cpu-usage';
import { measureFanout } from '../ping-it-back/fanout-delivery';
import { describeMachine } from '../ping-it-back/machine';
import { queueReader } from '../ping-it-back/queue-backlog';
import { measureRawHttp } from '../ping-it-back/raw-http-baseline';
import { cpuLines } from '../ping-it-back/report';
import { fanoutLines, rawHttpLine } from '../ping-it-back/report-capacity';
import { groupLogLines } from '../ping-it-back/service-logs';
import { SEND_BODY } from '../ping-it-back/settings';
import { checkDeliveries } from './delivery-check';
import { addWebhookDestinations } from './destinations';
import { dispatcherWork, workBetween } from './fanout-pages';
import { startFanoutStack, type FanoutStack } from './fanout-stack';
import { useNpmStartInfrastructure } from './npm-start-env';
import { parseOptions, type FanoutOptions } from './options';
import { dispatcherLine, probeLine, settingsLines, sinkLines } from './report';
import { FANOUT_DEFAULTS } from './service-defaults';
import { startWebhookSink, type WebhookSink } from './webhook-sink';

/** How long the probe send may take to reach the sink. */
const PROBE_TIMEOUT_MS = 30_000;
/** Used when the probe does not arrive: about the size of a notification webhook. */
const FALLBACK_BODY_BYTES = 1_000;
/** After the last expected delivery, how long to keep watching for one that arrives a second time. */
const LINGER_MS = 3_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  useNpmStartInfrastructure();
  const startedAt = performance.now();
  console.log(`Pingback fan-out benchmark, ${new Date().toISOString()}`);

  const cleanups: (() => Promise<void>)[] = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((error: unknown) => console.error('cleanup:', error));
  };
  process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));
  try {
    const system = await startFanoutStack(options);
    cleanups.push(() => system.stop());
    const sink = await startWebhookSink();
    cleanups.push(() => sink.close());
    await bench(options, system, sink).finally(() => printServiceLogs(system));
  } finally {
    await cleanUp();
  }
  console.log(`\nfinished in ${((performance.now() - startedAt) / 1000).toFixed(0)} s; load average ${loadAverage()}`);
}

async function bench(options: FanoutOptions, system: FanoutStack, sink: WebhookSink): Promise<void> {
  const { stack, infra } = system;
  const managementUrl = infra.rabbitManagementUrl ?? managementUrlFor(infra.rabbitUrl);
  const readQueues = queueReader(managementUrl, stack.env.RABBITMQ_URL!);
  // The deliverer opens up to this many keep-alive sockets to the sink; the baseline POSTs as many at a time.
  const concurrency = Number(stack.env.PINGBACK_WEBHOOK_SOCKETS_PER_ORIGIN ?? FANOUT_DEFAULTS.socketsPerOrigin);
  const pageSize = Number(stack.env.PINGBACK_FANOUT_PAGE_SIZE ?? FANOUT_DEFAULTS.fanoutPageSize);

  section('machine and settings');
  const queueTypes = Object.entries((await readQueues()).types).map(([type, count]) => `${count} ${type} queues`);
  const machine = await describeMachine(infra.databaseUrl, managementUrl);
  const settings = { overrides: system.overrides, pageSize, socketsPerOrigin: concurrency, prefetch: FANOUT_DEFAULTS.notificationPrefetch, queues: queueTypes.join(', ') };
  for (const line of settingsLines(machine, options, settings)) console.log(line);
  console.log(`load        load average ${loadAverage()} at the start (other work on this machine skews every figure)`);

  section(`a channel with ${options.destinations.toLocaleString('en-US')} webhook destinations`);
  const channel = await createChannel(stack);
  const added = await addWebhookDestinations(stack, channel, sink.url, options.destinations);
  console.log(
    `  added through POST /api/channels/{id}/destinations in ${added.requests} requests of up to 1,000, ${added.seconds.toFixed(1)} s; ` +
      'each destination is the sink with a path of its own',
  );
  for (const failure of added.serverFailures) console.log(`  failed on the server's side: ${failure}`);

  section('probe: one send to a one-destination channel, for the size of a real webhook body');
  const probeChannel = await createChannel(stack, [{ type: 'webhook', url: `${sink.url}/probe` }]);
  const probeStart = performance.now();
  await send(stack, probeChannel.token, SEND_BODY);
  while (sink.arrivals.size === 0 && performance.now() - probeStart < PROBE_TIMEOUT_MS) await sleep(20);
  const probeMs = sink.arrivals.size ? [...sink.arrivals.values()][0]! - probeStart : undefined;
  const bodyBytes = probeMs === undefined ? FALLBACK_BODY_BYTES : sink.lastBodyBytes;
  console.log(probeLine(probeMs, bodyBytes));

  const groups: ProcessGroup[] = [
    ...system.processes.map(({ label, pid }) => ({ label, pids: () => [pid] })),
    { label: 'bench (sink)', pids: () => [process.pid] },
    { label: 'postgres (all)', pids: () => pidsNamed('postgres') },
    { label: 'rabbitmq (beam.smp)', pids: () => pidsNamed('beam.smp') },
  ];
  const cpu = { baseline: new CpuAccount(), fanout: new CpuAccount() };
  const measured = async <T>(account: CpuAccount, work: () => Promise<T>): Promise<T> => {
    const before = takeCpuSnapshot(groups);
    const result = await work();
    account.add(before, takeCpuSnapshot(groups));
    return result;
  };

  section(`raw HTTP baseline: one Node process POSTs ${options.destinations.toLocaleString('en-US')} times to the sink, ${concurrency} at a time on keep-alive sockets`);
  sink.reset();
  const raw = await measured(cpu.baseline, () =>
    measureRawHttp({ url: `${sink.url}/raw`, bodyBytes, concurrency, seconds: options.timeoutSeconds, posts: options.destinations }),
  );
  console.log(rawHttpLine(raw));
  const everyPostOnce = sink.arrivals.size === options.destinations && sink.duplicates === 0 && sink.unreadable === 0;
  console.log(
    `  at the sink: ${everyPostOnce ? 'every POST once' : 'NOT every POST once'} (${sink.arrivals.size.toLocaleString('en-US')} distinct webhook-ids, ` +
      `${sink.duplicates} again); it opened ${sink.connections} TCP connections to the sink`,
  );

  section(`fan-out: one send to the channel with ${options.destinations.toLocaleString('en-US')} webhook destinations`);
  sink.reset();
  const workBefore = await dispatcherWork(system.dispatchers);
  const fanout = await measured(cpu.fanout, () =>
    measureFanout({
      sendUrl: `${stack.url}/v1/send/${channel.token}`,
      body: SEND_BODY,
      receiver: sink,
      destinations: options.destinations,
      timeoutSeconds: options.timeoutSeconds,
      processes: system.processes,
    }),
  );
  await sleep(LINGER_MS);
  for (const line of fanoutLines(fanout, raw)) console.log(line);
  for (const line of sinkLines(checkDeliveries(sink, options.destinations), sink, 'deliveries')) console.log(line);
  console.log(`  (checked again ${LINGER_MS / 1000} s after the last delivery, for any that arrived twice)`);
  console.log(dispatcherLine(workBetween(workBefore, await dispatcherWork(system.dispatchers)), pageSize, options.destinations));
  const queues = await readQueues();
  const waiting = (counts: Record<string, number>) => Object.entries(counts).map(([queue, count]) => `${queue} ${count}`).join(', ') || 'none';
  console.log(`  queues now (management API, a few seconds behind): work ${waiting(queues.work)}; waiting for a retry ${waiting(queues.retrying)}; parked ${waiting(queues.parked)}`);

  section('CPU per process, percent of one core');
  console.log("  postgres and rabbitmq are the machine's shared servers: other work on this machine shows up there too");
  for (const line of cpuLines(groups.map((group) => group.label), [['raw baseline', cpu.baseline], ['fan-out', cpu.fanout]])) console.log(`  ${line}`);

}

/** Anything the services logged: at LOG_LEVEL=warn, every line is worth a look (and says why a run failed). */
function printServiceLogs(system: FanoutStack): void {
  section('what the services logged (LOG_LEVEL=warn; from the last 1 MB each one printed)');
  let quiet = true;
  for (const { label, service } of system.processes) {
    for (const [message, count] of groupLogLines(service.logs())) {
      quiet = false;
      console.log(`  ${label}: ${count} × ${message}`);
    }
  }
  if (quiet) console.log('  none');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
