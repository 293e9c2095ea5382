/**
 * Soak of the retry tiers (CONTRACT §10): keeps retries waiting in every delay tier of every queue of the
 * system topology for a long run, and counts what went in and what came out. A delay queue that RabbitMQ
 * deleted (a lease, as `x-expires` was) loses what it holds and shows up here as lost retries.
 *
 *   bench/node_modules/.bin/tsx bench/soak/retry-tiers.ts [--minutes 30] [--in-flight 2] [--grace-seconds 60]
 *
 * Two scenarios, each in a vhost of its own on the RabbitMQ of RABBITMQ_URL (management API:
 * RABBITMQ_MANAGEMENT_URL): the production schedules, and every schedule ten times shorter as
 * PINGBACK_RETRY_SCHEDULES would set it. A retry goes into a tier only when it is due before the run ends;
 * tiers longer than the run get their retries at the start, and the end checks that their queues still hold
 * them. Exits 1 when anything was lost or a delay queue is missing or carries `x-expires`.
 */
import { parseArgs } from 'node:util';
import {
  createBroker,
  delayTiersOf,
  retryQueueName,
  topology,
  withScheduleOverrides,
  type Broker,
  type Topology,
} from '@pingback/broker';
import { allSubscriptions, type Publication, type Subscription } from '@pingback/contracts';
import { createIsolatedVhost, type IsolatedVhost } from '@pingback/testing';
import pino from 'pino';
import { managementGet } from '../ping-it-back/management-api';
import { samplePayload } from './sample-payloads';
import { TierLedger, type TierCount } from './tier-ledger';

const AMQP_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const MANAGEMENT_URL = process.env.RABBITMQ_MANAGEMENT_URL ?? 'http://guest:guest@127.0.0.1:15672';
/** A retry slot publishes its next message no sooner than this after its last one, so tiny tiers do not spin. */
const MIN_CYCLE_MS = 1_000;

interface Options {
  minutes: number;
  inFlight: number;
  graceSeconds: number;
}

interface Scenario {
  name: string;
  topology: Topology;
  /** As PINGBACK_RETRY_SCHEDULES would say it; empty for the production schedules. */
  schedules: string;
}

/** What the soak meant a message for: a retry in one tier of one queue, and the slot that sends the next one. */
interface Plan {
  scenario: string;
  queue: string;
  tierMs: number;
  slot: { next(): void };
}

interface RunningScenario extends Scenario {
  vhost: IsolatedVhost;
  broker: Broker;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '30' },
      'in-flight': { type: 'string', default: '2' },
      'grace-seconds': { type: 'string', default: '60' },
    },
  });
  const number = (name: string, text: string | undefined): number => {
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number, got "${text}"`);
    return value;
  };
  return {
    minutes: number('minutes', values.minutes),
    inFlight: Math.round(number('in-flight', values['in-flight'])),
    graceSeconds: number('grace-seconds', values['grace-seconds']),
  };
}

/** Every queue's schedule ten times shorter, in the PINGBACK_RETRY_SCHEDULES format. */
function tenTimesShorter(of: Topology): string {
  return of.queues.map((queue) => `${queue.name}=${queue.retryDelaysMs.map((ms) => Math.max(10, Math.round(ms / 10))).join(',')}`).join(';');
}

/** The publication that reaches the fewest other queues: the soak's messages for this queue go there. */
function entryPublication(subscription: Subscription, of: Topology): Publication {
  const reach = (publication: Publication) =>
    of.queues.filter((queue) => queue.bindings.some((b) => b.exchange === publication.exchange && b.routingKey === publication.routingKey)).length;
  return [...subscription.publications].sort((a, b) => reach(a) - reach(b))[0] as Publication;
}

async function main(): Promise<number> {
  const options = readOptions();
  const startedAt = Date.now();
  const endAt = startedAt + options.minutes * 60_000;
  const ledger = new TierLedger();
  const plans = new Map<string, Plan>();
  const logger = pino({ level: process.env.SOAK_LOG_LEVEL ?? 'warn' });
  const scenarios: Scenario[] = [
    { name: 'production', topology, schedules: '' },
    { name: 'short', topology: withScheduleOverrides(topology, tenTimesShorter(topology)), schedules: tenTimesShorter(topology) },
  ];
  const running: RunningScenario[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let stopping = false;
  let bystanders = 0;
  let publishFailures = 0;
  let unreachableTiers = 0;

  const cleanUp = async (): Promise<void> => {
    stopping = true;
    for (const timer of timers) clearTimeout(timer);
    await Promise.allSettled(running.map((scenario) => scenario.broker.stop()));
    await Promise.allSettled(running.map((scenario) => scenario.vhost.delete()));
  };
  process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));

  try {
    console.log(`soak retry-tiers: ${options.minutes} min, ${options.inFlight} retries in flight per tier, grace ${options.graceSeconds} s`);
    for (const scenario of scenarios) {
      const vhost = await createIsolatedVhost(AMQP_URL, MANAGEMENT_URL);
      const broker = createBroker({ url: vhost.url, topology: scenario.topology, logger });
      running.push({ ...scenario, vhost, broker });
      for (const subscription of allSubscriptions) {
        const queue = subscription.queue;
        broker.consume(subscription, async (message, ctx) => {
          const plan = plans.get(message.id);
          if (!plan || plan.scenario !== scenario.name || plan.queue !== queue) {
            bystanders++;
            return;
          }
          if (ctx.attempt === 1) {
            if (ctx.nextRetryDelayMs(plan.tierMs) !== plan.tierMs) unreachableTiers++;
            ledger.failed(message.id, Date.now());
            ctx.retryAfterMs(plan.tierMs);
          }
          if (ledger.cameOut(message.id, Date.now())) plan.slot.next();
        });
      }
      await broker.start();
      console.log(`  ${scenario.name}: vhost ${vhost.vhost}${scenario.schedules ? `, PINGBACK_RETRY_SCHEDULES=${scenario.schedules}` : ''}`);
    }
    const declared = await checkDelayQueues(running);
    console.log(`  delay queues at start-up: ${declared.present}/${declared.expected} present, ${declared.leased.length} with x-expires`);

    for (const scenario of running) {
      for (const queue of scenario.topology.queues) {
        const subscription = allSubscriptions.find((candidate) => candidate.queue === queue.name) as Subscription;
        const publication = entryPublication(subscription, scenario.topology);
        for (const tierMs of delayTiersOf(queue)) {
          const key = ledger.tier(scenario.name, queue.name, tierMs);
          for (let slotIndex = 0; slotIndex < options.inFlight; slotIndex++) {
            let lastPutAt = 0;
            const slot = {
              next(): void {
                if (stopping) return;
                const wait = Math.max(0, lastPutAt + MIN_CYCLE_MS - Date.now());
                const timer = setTimeout(() => {
                  timers.delete(timer);
                  void putIn();
                }, wait);
                timers.add(timer);
              },
            };
            const putIn = async (): Promise<void> => {
              if (stopping) return;
              const now = Date.now();
              const long = now + tierMs > endAt;
              // Tiers longer than the run get their retries once, at the start.
              if (long && lastPutAt > 0) return;
              lastPutAt = now;
              const payload = samplePayload(publication);
              const id = `soak-${scenario.name}-${tierMs}-${slotIndex}-${now}-${Math.random().toString(36).slice(2, 8)}`;
              plans.set(id, { scenario: scenario.name, queue: queue.name, tierMs, slot });
              ledger.publishing(key, id, long);
              try {
                await scenario.broker.publish(publication, payload as never, { id });
                ledger.putIn(id);
              } catch (error) {
                plans.delete(id);
                ledger.notPublished(id);
                publishFailures++;
                logger.warn({ err: error, queue: queue.name, tierMs }, 'soak publish failed; trying again');
                slot.next();
              }
            };
            slot.next();
          }
        }
      }
    }

    const progress = setInterval(() => {
      const counts = ledger.all();
      const sum = (field: 'in' | 'out') => counts.reduce((total, count) => total + count[field], 0);
      console.log(`  ${Math.round((Date.now() - startedAt) / 1000)} s: in ${sum('in')}, out ${sum('out')}`);
    }, 60_000);
    await sleep(Math.max(0, endAt - Date.now()));
    clearInterval(progress);
    stopping = true;
    for (const timer of timers) clearTimeout(timer);

    const drainDeadline = Date.now() + options.graceSeconds * 1_000;
    while (ledger.missing() > 0 && Date.now() < drainDeadline) await sleep(250);
    const drainedAt = Date.now();

    const queuesAtEnd = new Map<string, Map<string, QueueState>>();
    for (const scenario of running) queuesAtEnd.set(scenario.name, await queuesOf(scenario.vhost.vhost));
    for (const [key, expected] of ledger.waitingByTier()) {
      const [scenarioName, queueName, tier] = key.split('\u0000') as [string, string, string];
      const held = queuesAtEnd.get(scenarioName)?.get(retryQueueName(queueName, Number(tier)))?.messages ?? 0;
      ledger.recordWaiting(key, expected, held);
    }
    const atEnd = await checkDelayQueues(running);

    const counts = ledger.all();
    printTable(counts);
    const total = (field: keyof Omit<TierCount, 'scenario' | 'queue' | 'tierMs'>) => counts.reduce((sum, count) => sum + count[field], 0);
    const missing = ledger.missing();
    const lostWaiting = counts.reduce((sum, count) => sum + Math.max(0, count.waiting - count.waitingSeen), 0);
    const lost = missing + lostWaiting;
    console.log('');
    console.log(`ran ${((drainedAt - startedAt) / 60_000).toFixed(1)} min (${options.minutes} min of retries, then ${Math.round((drainedAt - endAt) / 1000)} s for the last ones to come back)`);
    console.log(`put in ${total('in')}, came out ${total('out')}, duplicates ${total('duplicates')}, early ${total('early')}`);
    console.log(`still waiting in tiers longer than the run: ${total('waiting')}, found in their delay queues: ${total('waitingSeen')}`);
    console.log(`lost ${lost} (${missing} due within the run that never came back, ${lostWaiting} long waits missing from their queues)`);
    console.log(`delay queues at the end: ${atEnd.present}/${atEnd.expected} present, ${atEnd.leased.length} with x-expires; bystander deliveries ${bystanders}, publish failures ${publishFailures}, unreachable tiers ${unreachableTiers}`);
    const healthy = lost === 0 && total('early') === 0 && unreachableTiers === 0 && atEnd.present === atEnd.expected && atEnd.leased.length === 0;
    console.log(healthy ? 'RESULT: ok, no retry lost' : 'RESULT: FAILED');
    return healthy ? 0 : 1;
  } finally {
    await cleanUp();
  }
}

interface QueueState {
  arguments: Record<string, unknown>;
  messages: number;
}

/** Every queue of a vhost, from the management API (its message figures lag a few seconds). */
async function queuesOf(vhost: string): Promise<Map<string, QueueState>> {
  const queues = await managementGet<{ name: string; arguments?: Record<string, unknown>; messages?: number }[]>(
    MANAGEMENT_URL,
    `/queues/${encodeURIComponent(vhost)}?columns=name,arguments,messages`,
  );
  return new Map(queues.map((queue) => [queue.name, { arguments: queue.arguments ?? {}, messages: queue.messages ?? 0 }]));
}

async function checkDelayQueues(scenarios: RunningScenario[]): Promise<{ expected: number; present: number; leased: string[] }> {
  let expected = 0;
  let present = 0;
  const leased: string[] = [];
  for (const scenario of scenarios) {
    const queues = await queuesOf(scenario.vhost.vhost);
    for (const [name, state] of queues) if ('x-expires' in state.arguments) leased.push(`${scenario.name}: ${name}`);
    for (const queue of scenario.topology.queues) {
      for (const tierMs of delayTiersOf(queue)) {
        expected++;
        if (queues.has(retryQueueName(queue.name, tierMs))) present++;
      }
    }
  }
  return { expected, present, leased };
}

function printTable(counts: TierCount[]): void {
  const rows = [...counts].sort((a, b) => a.scenario.localeCompare(b.scenario) || a.queue.localeCompare(b.queue) || a.tierMs - b.tierMs);
  console.log('');
  console.log(`${'scenario'.padEnd(11)}${'queue'.padEnd(47)}${'tier'.padStart(8)}${'in'.padStart(7)}${'out'.padStart(7)}${'dup'.padStart(5)}${'early'.padStart(6)}${'late≤'.padStart(8)}${'waiting'.padStart(9)}${'seen'.padStart(6)}`);
  for (const row of rows) {
    console.log(
      `${row.scenario.padEnd(11)}${row.queue.padEnd(47)}${formatMs(row.tierMs).padStart(8)}${String(row.in).padStart(7)}${String(row.out).padStart(7)}` +
        `${String(row.duplicates).padStart(5)}${String(row.early).padStart(6)}${formatMs(row.maxLateMs).padStart(8)}${String(row.waiting).padStart(9)}${String(row.waitingSeen).padStart(6)}`,
    );
  }
}

function formatMs(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms >= 1_000) return `${Number((ms / 1_000).toFixed(1))} s`;
  return `${ms} ms`;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
