import { BrokerUnavailableError } from '@pingback/broker';
import { isInfrastructureError } from '@pingback/db';
import { DomainError } from '@pingback/contracts';

/**
 * A failure of our own infrastructure rather than of the message: Postgres or the broker unreachable, or an
 * owner service answering 503. Consumers retry these for as long as they last instead of parking the message.
 */
export function isTransientInfrastructureError(error: unknown): boolean {
  return (
    isInfrastructureError(error) ||
    error instanceof BrokerUnavailableError ||
    (error instanceof DomainError && error.code === 'service_unavailable')
  );
}
