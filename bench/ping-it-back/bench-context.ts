import os from 'node:os';
import { PING_IT_BACK_SERVICES, type Stack } from '../../tests/support/stack';
import type { ArrivalReceiver } from './arrival-receiver';
import type { BaselineProcess } from './baseline-process';
import { CpuAccount, pidsNamed, takeCpuSnapshot, type ProcessGroup } from './cpu-usage';
import { DeliveryLedger } from './delivery-ledger';
import { GatewayTimingAccount, readGatewayTimings } from './gateway-timings';
import type { WatchedProcess } from './process-memory';
import { queueReader, type QueueCounts } from './queue-backlog';
import { purgeWorkQueues } from './queue-purge';
import type { BenchSettings } from './settings';
import type { ServiceEndpoint } from './work-budget';

/** The phases CPU time is accounted to, in the order the CPU table prints them. */
export const CPU_PHASES = {
  baseline: 'baseline rounds',
  gateway: 'gateway rounds',
  drain: 'backlog drains',
  latency: 'latency phases',
  sustained: 'sustained steps',
  fanout: 'fan-outs',
  edge: 'edge alone',
  soak: 'soak',
} as const;
export type CpuPhase = keyof typeof CPU_PHASES;

/** Everything the phases share: the stack, the receivers, what they count and how they wait. */
export interface BenchContext {
  settings: BenchSettings;
  stack: Stack;
  managementUrl: string;
  baseline: BaselineProcess;
  /** The throughput channel's webhook: counts arrivals so the run can tell every accepted send arrived. */
  sink: ArrivalReceiver;
  /** The latency channel's webhook, and the raw HTTP baseline's target: times arrivals by message_id. */
  latencyReceiver: ArrivalReceiver;
  /** The fan-out channels' webhook: counts by delivery_id (one message, many deliveries). */
  fanoutReceiver: ArrivalReceiver;
  ledgers: { throughput: DeliveryLedger; latency: DeliveryLedger };
  groups: ProcessGroup[];
  /** The services, for their /metrics and their memory. */
  services: ServiceEndpoint[];
  serviceProcesses: WatchedProcess[];
  cpu: Record<CpuPhase, CpuAccount>;
  timings: { gateway: GatewayTimingAccount; latency: GatewayTimingAccount };
  readQueues: () => Promise<QueueCounts>;
  /** Runs `work`, adding the CPU each process used to `phase` (and the gateway's timings to `timing`). */
  measured<T>(phase: CpuPhase, work: () => Promise<T>, timing?: GatewayTimingAccount): Promise<T>;
  /** The gateway's count of sends it answered 200, from its /metrics. */
  acceptedSends(): Promise<number>;
  /**
   * Waits (up to `maxSeconds`) until every accepted send the ledgers know of has arrived, so the next phase
   * starts on a quiet machine; with `purge`, empties the work queues of what is still left after that.
   */
  waitForQuiet(maxSeconds: number, options?: { purge?: boolean }): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createBenchContext(parts: {
  settings: BenchSettings;
  stack: Stack;
  managementUrl: string;
  baseline: BaselineProcess;
  sink: ArrivalReceiver;
  latencyReceiver: ArrivalReceiver;
  fanoutReceiver: ArrivalReceiver;
}): BenchContext {
  const { stack } = parts;
  const healthUrlOf = (name: (typeof PING_IT_BACK_SERVICES)[number]) => `http://127.0.0.1:${stack.services.get(name)!.healthPort}`;
  const groups: ProcessGroup[] = [
    ...PING_IT_BACK_SERVICES.map((name) => ({ label: name, pids: () => [stack.services.get(name)!.pid] })),
    { label: 'baseline server', pids: () => [parts.baseline.pid] },
    { label: 'bench (load + receivers)', pids: () => [process.pid] },
    { label: 'postgres (all)', pids: () => pidsNamed('postgres') },
    { label: 'rabbitmq (beam.smp)', pids: () => pidsNamed('beam.smp') },
    { label: 'redis-server', pids: () => pidsNamed('redis-server') },
  ];
  const cpu = Object.fromEntries(Object.keys(CPU_PHASES).map((phase) => [phase, new CpuAccount()])) as Record<CpuPhase, CpuAccount>;
  const gatewayHealthUrl = healthUrlOf('ingest-gateway');
  const ledgers = { throughput: new DeliveryLedger(parts.sink), latency: new DeliveryLedger(parts.latencyReceiver) };
  const context: BenchContext = {
    ...parts,
    ledgers,
    groups,
    services: PING_IT_BACK_SERVICES.map((name) => ({ label: name, healthUrl: healthUrlOf(name) })),
    serviceProcesses: PING_IT_BACK_SERVICES.map((name) => ({ label: name, pid: stack.services.get(name)!.pid })),
    cpu,
    timings: { gateway: new GatewayTimingAccount(), latency: new GatewayTimingAccount() },
    readQueues: queueReader(parts.managementUrl, stack.env.RABBITMQ_URL!),
    async measured(phase, work, timing) {
      const before = takeCpuSnapshot(groups);
      const timingsBefore = timing && (await readGatewayTimings(gatewayHealthUrl));
      const result = await work();
      cpu[phase].add(before, takeCpuSnapshot(groups));
      if (timing && timingsBefore) timing.add(timingsBefore, await readGatewayTimings(gatewayHealthUrl));
      return result;
    },
    acceptedSends: async () => (await readGatewayTimings(gatewayHealthUrl)).sends,
    async waitForQuiet(maxSeconds, options = {}) {
      const pending = () => ledgers.throughput.pending() + ledgers.latency.pending();
      const before = pending();
      if (before === 0) return;
      const start = performance.now();
      await context.measured('drain', async () => {
        while (pending() > 0 && performance.now() - start < maxSeconds * 1000) await sleep(100);
      });
      const left = pending();
      console.log(`  (waited ${((performance.now() - start) / 1000).toFixed(1)} s for ${before} accepted sends still on their way to the webhook: ${left} left)`);
      if (left > 0 && options.purge) {
        const purged = await purgeWorkQueues(parts.managementUrl, stack.env.RABBITMQ_URL!);
        ledgers.throughput.writeOff();
        ledgers.latency.writeOff();
        console.log(`  (purged the work queues, about ${purged} messages, so the next phase starts quiet: the sends they carried will not arrive)`);
      }
    },
  };
  return context;
}

export const loadAverage = () => os.loadavg().map((value) => value.toFixed(2)).join(' ');
export const section = (title: string) => console.log(`\n== ${title}`);
