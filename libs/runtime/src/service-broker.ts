import { createBroker, topology, withInfrastructureRetryOverrides, withScheduleOverrides, type Broker } from '@pingback/broker';
import type { CommonConfig } from '@pingback/config';
import type { Logger } from '@pingback/observability';
import type { Registry } from 'prom-client';
import { isTransientInfrastructureError } from './transient-error';

/**
 * A service's broker: the system topology with PINGBACK_RETRY_SCHEDULES and _INFRASTRUCTURE_RETRY_DELAYS_MS applied, metrics on the service's
 * registry, and our own infrastructure's failures retried rather than parked. `isTransientError` adds a
 * service's own transient conditions to those.
 */
export function createServiceBroker(
  config: Pick<CommonConfig, 'RABBITMQ_URL' | 'PINGBACK_RETRY_SCHEDULES' | 'PINGBACK_INFRASTRUCTURE_RETRY_DELAYS_MS'>,
  options: { logger: Logger; registry: Registry; confirmTimeoutMs: number; isTransientError?: (error: unknown) => boolean },
): Broker {
  const extra = options.isTransientError;
  return createBroker({
    url: config.RABBITMQ_URL,
    topology: withInfrastructureRetryOverrides(withScheduleOverrides(topology, config.PINGBACK_RETRY_SCHEDULES), config.PINGBACK_INFRASTRUCTURE_RETRY_DELAYS_MS),
    logger: options.logger,
    registry: options.registry,
    confirmTimeoutMs: options.confirmTimeoutMs,
    isTransientError: extra ? (error) => isTransientInfrastructureError(error) || extra(error) : isTransientInfrastructureError,
  });
}
