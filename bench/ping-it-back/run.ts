/**
 * The ping-it-back benchmark (npm run bench): accepted sends per second against an empty Express route in the
 * same run, latency from send to webhook arrival at a steady rate, and where the CPU went. It prints; it never
 * asserts a time. See bench/README.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { managementUrlFor } from '@pingback/testing';
import { createChannel } from '../../tests/support/api';
import { PING_IT_BACK_SERVICES, type Stack } from '../../tests/support/stack';
import { startArrivalReceiver, type ArrivalReceiver } from './arrival-receiver';
import { startBaselineProcess, type BaselineProcess } from './baseline-process';
import { readBrokerFailures } from './broker-failures';
import { cpuProfileEnv, profilesByPid, summarizeProfile } from './cpu-profile';
import { CpuAccount, pidsNamed, takeCpuSnapshot, type ProcessGroup } from './cpu-usage';
import { DeliveryLedger } from './delivery-ledger';
import { GatewayTimingAccount, readGatewayTimings } from './gateway-timings';
import { measureDeliveryLatency } from './delivery-latency';
import { describeMachine } from './machine';
import { median } from './percentiles';
import { startProductionStack } from './production-stack';
import { peekLastError, queueReader } from './queue-backlog';
import { cpuLines, gatewayTimingLine, latencyLines, machineLines, profileLines, ratioLines, roundLine } from './report';
import { groupLogLines } from './service-logs';
import { loadSettings, PRODUCTION_OVERRIDES, SEND_BODY, type BenchSettings } from './settings';
import { runRound, type RoundResult } from './throughput-round';

const WARM_UP_SECONDS = 2;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const section = (title: string) => console.log(`\n== ${title}`);
const loadAverage = () => os.loadavg().map((value) => value.toFixed(2)).join(' ');

interface Parts {
  stack: Stack;
  databaseUrl: string;
  managementUrl: string;
  baseline: BaselineProcess;
  latencyReceiver: ArrivalReceiver;
  sink: ArrivalReceiver;
}

/** Waits until `pending()` is 0 or `maxSeconds` passed; says how long it took and what was left. */
async function waitUntilDone(pending: () => number, maxSeconds: number): Promise<{ waitedMs: number; left: number }> {
  const start = performance.now();
  const deadline = start + maxSeconds * 1000;
  while (pending() > 0 && performance.now() < deadline) await sleep(100);
  return { waitedMs: performance.now() - start, left: pending() };
}

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
      ...(profileDirectory ? cpuProfileEnv(profileDirectory) : {}),
    });
    cleanups.push(() => stack.stop());
    for (const [name, service] of stack.services) serviceByPid.set(service.pid, name);
    const baseline = await startBaselineProcess();
    cleanups.push(() => baseline.stop());
    const latencyReceiver = await startArrivalReceiver();
    cleanups.push(() => latencyReceiver.close());
    const sink = await startArrivalReceiver();
    cleanups.push(() => sink.close());
    const managementUrl = infra.rabbitManagementUrl ?? managementUrlFor(infra.rabbitUrl);
    await bench(settings, { stack, databaseUrl: infra.databaseUrl, managementUrl, baseline, latencyReceiver, sink });
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

async function bench(settings: BenchSettings, parts: Parts): Promise<void> {
  const { stack, baseline, latencyReceiver, sink } = parts;
  section('machine and settings');
  const machine = await describeMachine(parts.databaseUrl, parts.managementUrl);
  for (const line of machineLines(machine, settings, { ...PRODUCTION_OVERRIDES, LOG_LEVEL: settings.logLevel })) console.log(line);
  const readQueues = queueReader(parts.managementUrl, stack.env.RABBITMQ_URL!);
  const queueTypes = Object.entries((await readQueues()).types).map(([type, count]) => `${count} ${type}`);
  console.log(`queues      ${queueTypes.join(', ')}; every publish waits for its publisher confirm`);
  console.log(`load        load average ${loadAverage()} at the start (other work on this machine skews every figure)`);

  // The throughput channel's webhook goes to a sink that only counts arrivals, so the run can tell whether every
  // accepted send was delivered; the latency channel's to the receiver that times them.
  const throughputChannel = await createChannel(stack, [{ type: 'webhook', url: sink.url }]);
  const latencyChannel = await createChannel(stack, [{ type: 'webhook', url: latencyReceiver.url }]);
  const gatewaySendUrl = `${stack.url}/v1/send/${throughputChannel.token}`;
  const baselineSendUrl = `${baseline.url}/v1/send/pbt_baseline`;
  const ledger = new DeliveryLedger(sink);

  const groups: ProcessGroup[] = [
    ...PING_IT_BACK_SERVICES.map((name) => ({ label: name, pids: () => [stack.services.get(name)!.pid] })),
    { label: 'baseline server', pids: () => [baseline.pid] },
    { label: 'bench (load + receivers)', pids: () => [process.pid] },
    { label: 'postgres (all)', pids: () => pidsNamed('postgres') },
    { label: 'rabbitmq (beam.smp)', pids: () => pidsNamed('beam.smp') },
    { label: 'redis-server', pids: () => pidsNamed('redis-server') },
  ];
  const cpu = { baseline: new CpuAccount(), gateway: new CpuAccount(), drain: new CpuAccount(), latency: new CpuAccount() };
  const gatewayHealthUrl = `http://127.0.0.1:${stack.services.get('ingest-gateway')!.healthPort}`;
  const timings = { gateway: new GatewayTimingAccount(), latency: new GatewayTimingAccount() };
  const measured = async <T>(account: CpuAccount, work: () => Promise<T>, timing?: GatewayTimingAccount): Promise<T> => {
    const before = takeCpuSnapshot(groups);
    const timingsBefore = timing && (await readGatewayTimings(gatewayHealthUrl));
    const result = await work();
    account.add(before, takeCpuSnapshot(groups));
    if (timing && timingsBefore) timing.add(timingsBefore, await readGatewayTimings(gatewayHealthUrl));
    return result;
  };
  const round = (target: RoundResult['target'], seconds: number) =>
    runRound({
      target,
      url: target === 'gateway' ? gatewaySendUrl : baselineSendUrl,
      body: SEND_BODY,
      connections: settings.connections,
      seconds,
      ...(target === 'gateway' && { onAccepted: (id: string) => ledger.expect(id) }),
    });
  /** Lets the services work off what the gateway accepted, so the next round starts on a quiet machine. */
  const waitForQuiet = async (maxSeconds: number) => {
    const before = ledger.pending();
    if (before === 0) return;
    const { waitedMs, left } = await measured(cpu.drain, () => waitUntilDone(() => ledger.pending(), maxSeconds));
    console.log(`  (waited ${(waitedMs / 1000).toFixed(1)} s for ${before} accepted sends still on their way to the webhook: ${left} left)`);
  };

  section(`warm-up (${WARM_UP_SECONDS} s each, not counted)`);
  for (const target of ['baseline', 'gateway'] as const) console.log(roundLine(0, await round(target, WARM_UP_SECONDS)));

  section(`1. accepted sends per second: ${settings.rounds} alternating rounds of ${settings.roundSeconds} s, ${settings.connections} connections`);
  console.log('  baseline: an empty Express 5 route in its own process (express.json, answers {"ok":true,"id":"x"})');
  console.log('  gateway:  POST /v1/send/{token} (token lookup, rate limit, zod, publish confirmed by a quorum queue)');
  const rounds: RoundResult[] = [];
  for (let index = 1; index <= settings.rounds; index += 1) {
    for (const target of ['baseline', 'gateway'] as const) {
      // Only the gateway rounds leave work behind (the services deliver what they accepted).
      if (target === 'baseline') await waitForQuiet(settings.quietSeconds);
      const result = await measured(
        cpu[target],
        () => round(target, settings.roundSeconds),
        target === 'gateway' ? timings.gateway : undefined,
      );
      rounds.push(result);
      console.log(roundLine(index, result));
    }
  }
  const medianOf = (target: RoundResult['target']) => median(rounds.filter((r) => r.target === target).map((r) => r.acceptedPerSecond));
  for (const line of ratioLines(medianOf('baseline'), medianOf('gateway'))) console.log(line);
  console.log(gatewayTimingLine('gateway rounds', timings.gateway));


  const latencyPhase = async (title: string, ratePerSecond: number, seconds: number) => {
    section(title);
    console.log('  path: gateway → response-store → notification-dispatcher → webhook-deliverer → loopback receiver');
    await waitForQuiet(settings.quietSeconds);
    const result = await measured(
      cpu.latency,
      () =>
        measureDeliveryLatency({
          sendUrl: `${stack.url}/v1/send/${latencyChannel.token}`,
          body: SEND_BODY,
          receiver: latencyReceiver,
          ratePerSecond,
          seconds,
          drainSeconds: settings.drainSeconds,
        }),
      timings.latency,
    );
    for (const line of latencyLines(result, latencyReceiver.duplicates)) console.log(line);
    return result;
  };
  const steadyRate = Math.max(1, Math.round(settings.steadyFraction * medianOf('gateway')));
  const latencies = [];
  if (settings.steadyFraction > 0) {
    latencies.push(
      await latencyPhase(
        `2a. latency from send to webhook arrival at ${steadyRate} sends/s (${settings.steadyFraction} × the gateway's median) for ${settings.steadySeconds} s, open loop`,
        steadyRate,
        settings.steadySeconds,
      ),
    );
  }
  latencies.push(
    await latencyPhase(
      `2. latency from send to webhook arrival at ${settings.latencyRatePerSecond} sends/s for ${settings.latencySeconds} s, open loop`,
      settings.latencyRatePerSecond,
      settings.latencySeconds,
    ),
  );
  console.log(gatewayTimingLine('latency phases', timings.latency));

  section('did every accepted send arrive?');
  await sleep(1_000);
  const queues = await readQueues();
  const pending = ledger.pending();
  console.log(
    `throughput channel: ${ledger.expected} sends answered 200 (warm-up and rounds), ${ledger.expected - pending} of them arrived, ` +
      `${pending} not yet; ${ledger.unexpected()} more arrived that were in flight when a round stopped; ` +
      `duplicates ${sink.duplicates}, unreadable ${sink.unreadable}`,
  );
  const latencyAccepted = latencies.reduce((sum, result) => sum + result.accepted, 0);
  const latencyArrived = latencies.reduce((sum, result) => sum + result.arrived, 0);
  console.log(
    `latency channel:    ${latencyAccepted} answered 200, ${latencyArrived} of them arrived by the end of their drain, ` +
      `${latencyReceiver.arrivals.size} by now`,
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
    const lastError = await peekLastError(parts.managementUrl, stack.env.RABBITMQ_URL!, queue).catch((error: unknown) => `(could not look: ${String(error)})`);
    console.log(`  first message in ${queue}: ${lastError ?? '(gone, or no error header)'}`);
  }

  section('3. where the time goes: CPU per process, percent of one core, over each phase');
  console.log('  postgres, rabbitmq and redis are the machine\'s shared servers: other work on this machine shows up there too');
  const labels = groups.map((group) => group.label);
  const columns = [
    ['baseline rounds', cpu.baseline],
    ['gateway rounds', cpu.gateway],
    ['backlog drains', cpu.drain],
    ['latency phase', cpu.latency],
  ] as const;
  for (const line of cpuLines(labels, columns)) console.log(line);

  section(`what the services logged (LOG_LEVEL=${settings.logLevel}; from the last 1 MB each one printed)`);
  let quiet = true;
  for (const name of PING_IT_BACK_SERVICES) {
    for (const [message, count] of groupLogLines(stack.services.get(name)!.logs())) {
      quiet = false;
      console.log(`${name}: ${count} × ${message}`);
    }
  }
  if (quiet) console.log('none');

  // The same comparison with the consumers paused: on two cores the edge competes with everything downstream of
  // it, so this shows what the edge alone can accept. Accepted sends wait, durable, in their queue meanwhile; it
  // runs last, on a channel without a webhook destination, so its backlog disturbs no other figure.
  const edgeChannel = await createChannel(stack);
  const edgeRound = (target: RoundResult['target']) =>
    runRound({
      target,
      url: target === 'gateway' ? `${stack.url}/v1/send/${edgeChannel.token}` : baselineSendUrl,
      body: SEND_BODY,
      connections: settings.connections,
      seconds: settings.roundSeconds,
    });
  section(`4. the edge alone: ${settings.rounds} alternating rounds, response-store, dispatcher and deliverer paused (SIGSTOP)`);
  const downstream = PING_IT_BACK_SERVICES.filter((name) => name !== 'ingest-gateway').map((name) => stack.services.get(name)!);
  const edgeRounds: RoundResult[] = [];
  downstream.forEach((service) => service.kill('SIGSTOP'));
  try {
    for (let index = 1; index <= settings.rounds; index += 1) {
      for (const target of ['baseline', 'gateway'] as const) {
        const result = await edgeRound(target);
        edgeRounds.push(result);
        console.log(roundLine(index, result));
      }
    }
  } finally {
    downstream.forEach((service) => service.kill('SIGCONT'));
  }
  const edgeMedianOf = (target: RoundResult['target']) => median(edgeRounds.filter((r) => r.target === target).map((r) => r.acceptedPerSecond));
  for (const line of ratioLines(edgeMedianOf('baseline'), edgeMedianOf('gateway'))) console.log(line);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
