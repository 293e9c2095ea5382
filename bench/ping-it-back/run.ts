/**
 * The ping-it-back benchmark (npm run bench): accepted sends per second against an empty Express route in the
 * same run, latency from send to webhook arrival, the highest sustained rate and a large fan-out against raw
 * HTTP POSTs, the work each send costs by the services' own counters, memory, and where the CPU went. It
 * prints; it never asserts a time. See bench/README.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { managementUrlFor } from '@pingback/testing';
import { createChannel } from '../../tests/support/api';
import { PING_IT_BACK_SERVICES } from '../../tests/support/stack';
import { startArrivalReceiver } from './arrival-receiver';
import { startBaselineProcess } from './baseline-process';
import { CPU_PHASES, createBenchContext, loadAverage, section, type BenchContext, type CpuPhase } from './bench-context';
import { cpuProfileEnv, profilesByPid, summarizeProfile } from './cpu-profile';
import { describeMachine } from './machine';
import { reportArrivals } from './phase-arrivals';
import { runEdgeAlonePhase } from './phase-edge-alone';
import { runFanoutPhase } from './phase-fanout';
import { runLatencyPhase } from './phase-latency';
import { runRawHttpPhase } from './phase-raw-http';
import { runSoakPhase } from './phase-soak';
import { runSustainedPhase } from './phase-sustained';
import { runThroughputPhase } from './phase-throughput';
import { startProductionStack } from './production-stack';
import { cpuLines, gatewayTimingLine, machineLines, profileLines } from './report';
import { sustainedLines } from './report-capacity';
import { summaryLines } from './report-summary';
import { TARGETS } from './targets';
import { groupLogLines } from './service-logs';
import { destinationCapOverride, loadSettings, PRODUCTION_OVERRIDES } from './settings';

async function main(): Promise<void> {
  const settings = loadSettings();
  const startedAt = new Date();
  console.log(`Pingback ping-it-back benchmark, ${startedAt.toISOString()}`);
  const profileDirectory = settings.cpuProfile ? fs.mkdtempSync(path.join(os.tmpdir(), 'pingback-bench-profiles-')) : undefined;

  const cleanups: (() => Promise<void>)[] = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((error: unknown) => console.error('cleanup:', error));
  };
  process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));

  const serviceByPid = new Map<number, string>();
  try {
    const { stack, infra } = await startProductionStack({
      LOG_LEVEL: settings.logLevel,
      ...destinationCapOverride(settings),
      ...(profileDirectory ? cpuProfileEnv(profileDirectory) : {}),
    });
    cleanups.push(() => stack.stop());
    for (const [name, service] of stack.services) serviceByPid.set(service.pid, name);
    const baseline = await startBaselineProcess();
    cleanups.push(() => baseline.stop());
    const receivers = await Promise.all([startArrivalReceiver(), startArrivalReceiver(), startArrivalReceiver('delivery_id')]);
    for (const receiver of receivers) cleanups.push(() => receiver.close());
    const [latencyReceiver, sink, fanoutReceiver] = receivers;
    const managementUrl = infra.rabbitManagementUrl ?? managementUrlFor(infra.rabbitUrl);
    const context = createBenchContext({ settings, stack, managementUrl, baseline, sink, latencyReceiver, fanoutReceiver });
    await bench(context, infra.databaseUrl);
  } finally {
    await cleanUp();
  }

  if (profileDirectory) {
    section('CPU profiles of the services over the whole run (self time, idle left out)');
    for (const [pid, file] of profilesByPid(profileDirectory)) {
      for (const line of profileLines(serviceByPid.get(pid) ?? `pid ${pid}`, summarizeProfile(file))) console.log(line);
    }
    console.log(`(open the .cpuprofile files in Chrome DevTools → Performance for the full picture)`);
  }
  console.log(`\nfinished in ${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s; load average ${loadAverage()}`);
}

async function bench(context: BenchContext, databaseUrl: string): Promise<void> {
  const { settings, stack } = context;
  section('machine and settings');
  const machine = await describeMachine(databaseUrl, context.managementUrl);
  for (const line of machineLines(machine, settings, { ...PRODUCTION_OVERRIDES, ...destinationCapOverride(settings), LOG_LEVEL: settings.logLevel })) console.log(line);
  const queueTypes = Object.entries((await context.readQueues()).types).map(([type, count]) => `${count} ${type}`);
  console.log(`queues      ${queueTypes.join(', ')}; every publish waits for its publisher confirm`);
  console.log(`load        load average ${loadAverage()} at the start (other work on this machine skews every figure)`);

  // The throughput channel's webhook goes to a sink that only counts arrivals, so the run can tell whether every
  // accepted send was delivered; the latency channel's to the receiver that times them.
  const throughputChannel = await createChannel(stack, [{ type: 'webhook', url: context.sink.url }]);
  const latencyChannel = await createChannel(stack, [{ type: 'webhook', url: context.latencyReceiver.url }]);

  const raw = await runRawHttpPhase(context, latencyChannel);
  const throughput = await runThroughputPhase(context, throughputChannel);

  const latencyResults = [];
  const steadyRate = Math.max(1, Math.round(settings.steadyFraction * throughput.gateway));
  const latencyOptions = (title: string, ratePerSecond: number, seconds: number) => ({ title, ratePerSecond, seconds, drainSeconds: settings.drainSeconds });
  let singleBudget;
  if (settings.steadyFraction > 0) {
    const steady = await runLatencyPhase(context, latencyChannel, {
      ...latencyOptions(
        `latency from send to webhook arrival at ${steadyRate} sends/s (${settings.steadyFraction} × the gateway's median) for ${settings.steadySeconds} s, open loop`,
        steadyRate,
        settings.steadySeconds,
      ),
      budget: true,
    });
    latencyResults.push(steady.result);
    singleBudget = steady.budget;
  }
  const fixed = await runLatencyPhase(context, latencyChannel, {
    ...latencyOptions(`latency from send to webhook arrival at ${settings.latencyRatePerSecond} sends/s for ${settings.latencySeconds} s, open loop`, settings.latencyRatePerSecond, settings.latencySeconds),
    budget: singleBudget === undefined,
  });
  latencyResults.push(fixed.result);
  singleBudget ??= fixed.budget;

  const lowRate = await runLatencyPhase(context, latencyChannel, {
    ...latencyOptions(
      `latency at ${settings.lowRatePerSecond} sends/s for ${settings.lowRateSeconds} s, open loop (targets: p50 < ${TARGETS.lowRateP50Ms} ms, p99 < ${TARGETS.lowRateP99Ms} ms)`,
      settings.lowRatePerSecond,
      settings.lowRateSeconds,
    ),
    purgeBacklog: true,
  });
  latencyResults.push(lowRate.result);
  console.log(gatewayTimingLine('latency phases', context.timings.latency));

  const sustained = await runSustainedPhase(context, latencyChannel);
  latencyResults.push(...sustained.steps.map((step) => step.result));
  for (const line of sustainedLines(sustained.sustained, raw)) console.log(line);

  const fanout = await runFanoutPhase(context, raw);
  const edge = await runEdgeAlonePhase(context);
  const soak = await runSoakPhase(context, latencyChannel, sustained.sustained);
  if (soak) latencyResults.push(soak.latency);

  await reportArrivals(context, latencyResults);

  section('where the time goes: CPU per process, percent of one core, over each phase');
  console.log("  postgres, rabbitmq and redis are the machine's shared servers: other work on this machine shows up there too");
  const columns = (Object.entries(CPU_PHASES) as [CpuPhase, string][])
    .filter(([phase]) => context.cpu[phase].wallSeconds > 0)
    .map(([phase, title]) => [title, context.cpu[phase]] as const);
  for (const line of cpuLines(context.groups.map((group) => group.label), columns)) console.log(line);

  section(`what the services logged (LOG_LEVEL=${settings.logLevel}; from the last 1 MB each one printed)`);
  let quiet = true;
  for (const name of PING_IT_BACK_SERVICES) {
    for (const [message, count] of groupLogLines(stack.services.get(name)!.logs())) {
      quiet = false;
      console.log(`${name}: ${count} × ${message}`);
    }
  }
  if (quiet) console.log('none');

  section('issue 11: every figure of items 2 and 3 against its target, measured in this run');
  for (const line of summaryLines({ settings, raw, singleBudget, fanout, lowRate: lowRate.result, sustained, edge, soak })) console.log(line);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
