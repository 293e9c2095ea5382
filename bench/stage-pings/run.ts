/**
 * The stage-pings benchmark (issue 14, item 9): accepted stage pings per second against an empty Express route in
 * the same run, and the time one workflow-tracker process takes to handle 1,000 due heartbeat monitors among
 * 100,000, with the cost of the sweeper's claim query at 1,000 and at 100,000 rows. It prints; it never asserts a
 * time. See bench/README.md, "Stage pings".
 *
 *   bench/node_modules/.bin/tsx bench/stage-pings/run.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { managementUrlFor, type TestInfra } from '@pingback/testing';
import { request } from '../../tests/support/api';
import type { Stack } from '../../tests/support/stack';
import { useNpmStartInfrastructure } from '../fan-out/npm-start-env';
import type { BaselineProcess } from '../ping-it-back/baseline-process';
import { loadAverage, section } from '../ping-it-back/bench-context';
import { cpuProfileEnv, profilesByPid, summarizeProfile } from '../ping-it-back/cpu-profile';
import { describeMachine } from '../ping-it-back/machine';
import { cpuLines, profileLines } from '../ping-it-back/report';
import { groupLogLines } from '../ping-it-back/service-logs';
import { startBaselineRoute } from './baseline-route-process';
import { createBenchAccount } from './bench-account';
import { measureCheckerPass } from './checker-pass';
import { measureClaimCost } from './claim-cost';
import { CPU_PHASES, cpuPhases, type CpuPhase } from './cpu-phases';
import { runPingPhase } from './phase-pings';
import { checkerLines, claimLines, settingsLines } from './report';
import { loadStagePingSettings, type StagePingSettings } from './settings';
import { startStagePingStack } from './stage-stack';
import { createStaticWorkflows, stagePingPaths } from './static-workflows';
import { MONITOR_CLOCK, TRACKER_SWEEP, TRACKER_TABLES, trackerDeadlineKinds } from './tracker-clock';

interface Run {
  settings: StagePingSettings;
  stack: Stack;
  infra: TestInfra;
  overrides: Record<string, string>;
  baseline: BaselineProcess;
  db: Client;
}

async function main(): Promise<void> {
  const settings = loadStagePingSettings();
  useNpmStartInfrastructure();
  const startedAt = performance.now();
  console.log(`Pingback stage-pings benchmark, ${new Date().toISOString()}`);
  const profileDirectory = settings.cpuProfile ? fs.mkdtempSync(path.join(os.tmpdir(), 'pingback-stage-pings-profiles-')) : undefined;

  const cleanups: (() => Promise<void>)[] = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((error: unknown) => console.error('cleanup:', error));
  };
  process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));
  const serviceByPid = new Map<number, string>();
  try {
    const { stack, infra, overrides } = await startStagePingStack({
      LOG_LEVEL: settings.logLevel,
      PINGBACK_SEED002_RATE_PER_MINUTE: String(settings.seed002RatePerMinute),
      ...(profileDirectory ? cpuProfileEnv(profileDirectory) : {}),
    });
    cleanups.push(() => stack.stop());
    for (const [name, service] of stack.services) serviceByPid.set(service.pid, name);
    const baseline = await startBaselineRoute();
    cleanups.push(() => baseline.stop());
    const db = new Client({ connectionString: stack.env.DATABASE_URL });
    await db.connect();
    cleanups.push(() => db.end());
    await bench({ settings, stack, infra, overrides, baseline, db }).finally(() => printServiceLogs(stack, settings.logLevel));
  } finally {
    await cleanUp();
  }
  if (profileDirectory) {
    section('CPU profiles of the services over the whole run (self time, idle left out)');
    for (const [pid, file] of profilesByPid(profileDirectory)) {
      for (const line of profileLines(serviceByPid.get(pid) ?? `pid ${pid}`, summarizeProfile(file))) console.log(line);
    }
  }
  console.log(`\nfinished in ${((performance.now() - startedAt) / 1000).toFixed(0)} s; load average ${loadAverage()}`);
}

async function bench({ settings, stack, infra, overrides, baseline, db }: Run): Promise<void> {
  section('machine and settings');
  const machine = await describeMachine(infra.databaseUrl, infra.rabbitManagementUrl ?? managementUrlFor(infra.rabbitUrl));
  for (const line of settingsLines(machine, settings, { overrides, sweepIntervalMs: TRACKER_SWEEP.intervalMs, sweepBatchSize: TRACKER_SWEEP.batchSize })) console.log(line);
  console.log(`load        load average ${loadAverage()} at the start (other work on this machine skews every figure)`);

  section(`an account and ${settings.workflows} static workflows of one stage each (POST /api/workflows)`);
  const account = await createBenchAccount(stack);
  const paths = stagePingPaths(await createStaticWorkflows(stack, account.apiKey, settings.workflows), account.apiKey);
  const probe = await request(`${stack.url}${paths[0]!}`);
  console.log(`  one ping by hand: ${probe.status} ${JSON.stringify(probe.body)}`);

  const cpu = cpuPhases(stack, baseline.pid);
  const pingPath = (['ingest-gateway', 'workflow-tracker'] as const).map((name) => stack.services.get(name)!.pid);
  await runPingPhase({ settings, gatewayUrl: stack.url, baseline, paths, cpu, pingPath });

  section(`one checker pass: ${settings.dueMonitors.toLocaleString('en-US')} due among ${settings.monitors.toLocaleString('en-US')} monitors, one workflow-tracker process`);
  console.log(`  inserted straight into the tracker's tables, state "${MONITOR_CLOCK.state}", deadline kind "${MONITOR_CLOCK.kind}", no alert channels`);
  const pass = await measureCheckerPass(
    db,
    TRACKER_TABLES,
    {
      accountId: account.id,
      clock: MONITOR_CLOCK,
      monitors: settings.monitors,
      due: settings.dueMonitors,
      leadMs: 2 * TRACKER_SWEEP.intervalMs + 500,
      timeoutSeconds: settings.checkerTimeoutSeconds,
    },
    (work) => cpu.measured('checker', work),
  );
  for (const line of checkerLines(pass)) console.log(`  ${line}`);

  section(`the sweeper's claim query (libs/durable claimDue), EXPLAIN ANALYZE on a copy of tracker.deadlines`);
  const costs = await measureClaimCost(db, {
    sourceTable: TRACKER_TABLES.deadlines,
    clock: MONITOR_CLOCK,
    kinds: trackerDeadlineKinds(),
    batchSize: TRACKER_SWEEP.batchSize,
    due: settings.dueMonitors,
    rows: settings.monitors,
    runs: settings.claimRuns,
  });
  for (const line of claimLines(costs, TRACKER_SWEEP.batchSize)) console.log(`  ${line}`);

  section('where the time goes: CPU per process, percent of one core, over each phase');
  console.log("  postgres, rabbitmq and redis are the machine's shared servers: other work on this machine shows up there too");
  const columns = (Object.entries(CPU_PHASES) as [CpuPhase, string][]).map(([phase, title]) => [title, cpu.accounts[phase]] as const);
  for (const line of cpuLines(cpu.groups.map((group) => group.label), columns)) console.log(`  ${line}`);
}

/** Anything the services logged: at LOG_LEVEL=warn, every line is worth a look (and says why a run failed). */
function printServiceLogs(stack: Stack, logLevel: string): void {
  section(`what the services logged (LOG_LEVEL=${logLevel}; from the last 1 MB each one printed)`);
  let quiet = true;
  for (const [name, service] of stack.services) {
    for (const [message, count] of groupLogLines(service.logs())) {
      quiet = false;
      console.log(`  ${name}: ${count} × ${message}`);
    }
  }
  if (quiet) console.log('  none');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
