import { startService, type RunningService, type TestInfra } from '@pingback/testing';
import { PING_IT_BACK_SERVICES, type Stack } from '../../tests/support/stack';
import type { WatchedProcess } from '../ping-it-back/process-memory';
import { startProductionStack } from '../ping-it-back/production-stack';
import { PRODUCTION_OVERRIDES } from '../ping-it-back/settings';
import { FANOUT_DEFAULTS } from './service-defaults';

const DISPATCHER = 'notification-dispatcher';

export interface FanoutStack {
  stack: Stack;
  infra: TestInfra;
  /** Every dispatcher process, the stack's own first. */
  dispatchers: RunningService[];
  /** Every service process by the name the report gives it ("notification-dispatcher 2" for a second copy). */
  processes: (WatchedProcess & { service: RunningService })[];
  /** What the services' environment changes from a default install (the bench prints it). */
  overrides: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * The ping-it-back bench's production stack (compiled services as processes, production durability, a database,
 * vhost and Redis prefix of its own), with `dispatchers` notification-dispatcher processes competing for the
 * fan-out pages. Only the cap on destinations per channel is raised, and only when `destinations` exceeds it.
 */
export async function startFanoutStack(options: { destinations: number; dispatchers: number }): Promise<FanoutStack> {
  const capOverride: Record<string, string> =
    options.destinations > FANOUT_DEFAULTS.maxDestinationsPerChannel ? { PINGBACK_MAX_DESTINATIONS_PER_CHANNEL: String(options.destinations) } : {};
  const { stack, infra } = await startProductionStack(capOverride);
  const extra: RunningService[] = [];
  const stop = async () => {
    await Promise.all(extra.map((service) => service.stop(5_000)));
    await stack.stop();
  };
  try {
    // The same environment as the first copy; a free health port of its own. DISPATCHER_URL names the first.
    for (let copy = 1; copy < options.dispatchers; copy += 1) extra.push(await startService(DISPATCHER, stack.env, { readyTimeoutMs: 60_000 }));
  } catch (error) {
    await stop();
    throw error;
  }
  const dispatchers = [stack.services.get(DISPATCHER)!, ...extra];
  const processes = PING_IT_BACK_SERVICES.flatMap((name) =>
    (name === DISPATCHER ? dispatchers : [stack.services.get(name)!]).map((service, index, copies) => ({
      label: copies.length > 1 ? `${name} ${index + 1}` : name,
      pid: service.pid,
      service,
    })),
  );
  return { stack, infra, dispatchers, processes, overrides: { ...PRODUCTION_OVERRIDES, ...capOverride }, stop };
}
