import type { ProfileSummary } from './cpu-profile';
import type { CpuAccount } from './cpu-usage';
import type { GatewayTimingAccount } from './gateway-timings';
import type { DeliveryLatencyResult } from './delivery-latency';
import { int, ms } from './format';
import type { MachineDescription } from './machine';
import type { LatencySummary } from './percentiles';
import type { BenchSettings } from './settings';
import type { RoundResult } from './throughput-round';


export function machineLines(machine: MachineDescription, settings: BenchSettings, overrides: Record<string, string>): string[] {
  return [
    `machine     ${machine.cpus}, ${machine.memory}, ${machine.os}`,
    `node        ${machine.node}`,
    `postgres    ${machine.postgres}`,
    `rabbitmq    ${machine.rabbitmq}`,
    `services    ${Object.entries(overrides)
      .map(([name, value]) => `${name}=${value === '' ? "''" : value}`)
      .join(' ')}`,
    `throughput  ${settings.rounds} × (baseline ${settings.roundSeconds} s, gateway ${settings.roundSeconds} s), ` +
      `${settings.connections} connections, autocannon closed loop`,
    `latency     open loop: ${settings.steadyFraction ? `${settings.steadyFraction} × the gateway's median rate for ${settings.steadySeconds} s, then ` : ''}` +
      `${settings.latencyRatePerSecond} sends/s for ${settings.latencySeconds} s, then ${settings.lowRatePerSecond} sends/s for ${settings.lowRateSeconds} s; ` +
      `each drains up to ${settings.drainSeconds} s`,
    `raw HTTP    one process, ${settings.rawConcurrency} POSTs at a time to the loopback sink for ${settings.rawSeconds} s`,
    `sustained   open-loop steps of ${settings.stepSeconds} s (+ up to ${settings.stepDrainSeconds} s drain) at ${settings.sustainedRates.join(', ')} sends/s`,
    `fan-out     work budget on ${settings.budgetFanoutDestinations} destinations; delivery rate and memory on ${settings.fanoutDestinations} ` +
      `(time-out ${settings.fanoutTimeoutSeconds} s; destinations added ${settings.destinationConcurrency} at a time)`,
    `soak        ${settings.soakMinutes ? `${settings.soakMinutes} min at half the sustained rate` : 'left out (BENCH_SOAK_MINUTES=0)'}`,
  ];
}

export function roundLine(index: number, round: RoundResult): string {
  const others = Object.entries(round.otherStatuses).map(([code, count]) => `${code}×${count}`);
  const failures = [...others, ...(round.errors ? [`errors×${round.errors}`] : []), ...(round.timeouts ? [`timeouts×${round.timeouts}`] : [])];
  return (
    `round ${index} ${round.target.padEnd(8)} ${int(round.acceptedPerSecond).padStart(6)} accepted/s ` +
    `(${int(round.accepted)} × 200 in ${round.seconds.toFixed(1)} s; non-200: ${failures.length ? failures.join(' ') : 'none'}) ` +
    `latency p50 ${round.latencyMs.p50} ms, p99 ${round.latencyMs.p99} ms, max ${round.latencyMs.max} ms`
  );
}

export function ratioLines(baselineMedian: number, gatewayMedian: number, goal = 0.7): string[] {
  const ratio = gatewayMedian / baselineMedian;
  return [
    `median accepted/s: baseline ${int(baselineMedian)}, gateway ${int(gatewayMedian)}`,
    `ratio gateway/baseline = ${ratio.toFixed(2)}   (goal ≥ ${goal.toFixed(2)}: ${ratio >= goal ? 'met' : 'not met'})`,
  ];
}

const summaryLine = (label: string, summary: LatencySummary): string =>
  `${label.padEnd(22)} p50 ${ms(summary.p50)}, p90 ${ms(summary.p90)}, p99 ${ms(summary.p99)}, max ${ms(summary.max)} (n=${int(summary.count)})`;

export function latencyLines(result: DeliveryLatencyResult, duplicates: number): string[] {
  const notAccepted = [...result.notAccepted].map(([reason, count]) => `${reason} ×${count}`);
  return [
    `scheduled ${int(result.scheduled)}, accepted (200) ${int(result.accepted)}, not accepted: ${notAccepted.length ? notAccepted.join(', ') : 'none'}`,
    summaryLine('send due → 200', result.acceptLatencyMs),
    summaryLine('send due → arrival', result.deliveryLatencyMs),
    `arrived ${int(result.arrived)} of ${int(result.accepted)} accepted; still missing after the drain: ${int(result.missing)}; ` +
      `duplicates: ${int(duplicates)}; last arrival ${ms(result.drainedAfterMs)} after the last send was due`,
    `sender lag (worst send out after its due time): ${ms(result.pacerLagMs)}  ("never": not answered / not arrived in time)`,
  ];
}

export function cpuLines(labels: readonly string[], columns: readonly (readonly [string, CpuAccount])[]): string[] {
  const width = Math.max(...labels.map((label) => label.length), 'machine busy (all cores)'.length);
  const header = `${'process'.padEnd(width)}  ${columns.map(([name]) => name.padStart(16)).join('')}`;
  const row = (label: string, cell: (account: CpuAccount) => number): string =>
    `${label.padEnd(width)}  ${columns
      .map(([, account]) => {
        const value = cell(account);
        return (Number.isNaN(value) ? '—' : `${value.toFixed(0)} %`).padStart(16);
      })
      .join('')}`;
  return [
    header,
    ...labels.map((label) => row(label, (account) => account.percentOfCore(label))),
    row('machine busy (all cores)', (account) => account.machinePercent()),
  ];
}

export function profileLines(service: string, summary: ProfileSummary): string[] {
  const share = (samples: number) => `${((100 * samples) / summary.busySamples).toFixed(1).padStart(5)} %`;
  return [
    `${service} (${int(summary.busySamples)} busy samples, ${summary.file})`,
    `  self time by origin: ${summary.byOrigin.map(([origin, samples]) => `${origin} ${share(samples).trim()}`).join(', ')}`,
    `  time under a library's frames (overlapping): ${summary.underOrigin.map(([origin, samples]) => `${origin} ${share(samples).trim()}`).join(', ')}`,
    '  self time by function:',
    ...summary.byFunction.map(([name, samples]) => `  ${share(samples)}  ${name}`),
  ];
}

export function gatewayTimingLine(phase: string, account: GatewayTimingAccount): string {
  return (
    `inside the gateway (its /metrics, ${phase}): a 200 send took ${ms(account.meanSendMs())} on average from its first middleware ` +
    `to the last byte, ${ms(account.meanConfirmMs())} of it waiting for the publisher confirm; ` +
    `rate-limit checks that failed open on Redis: ${int(account.total.redisFailOpen)}`
  );
}
