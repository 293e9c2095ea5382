import { envelopeFor, publications, type EndpointDisabled, type EndpointKind, type EndpointRef } from '@pingback/contracts';
import type { AttemptResult } from './attempt-result';

export type DisabledReason = EndpointDisabled['payload']['reason'];

/** A registered endpoint's health as recorded. An endpoint with no record never failed. */
export interface EndpointHealth {
  kind: EndpointKind;
  id: string;
  accountId: string;
  /** The URL of the attempt that last changed the record. */
  url: string;
  consecutiveFailures: number;
  disabledAt: Date | null;
  disabledReason: DisabledReason | null;
}

export type DisabledEndpoint = EndpointHealth & { disabledAt: Date; disabledReason: DisabledReason };

export const isDisabled = (health: EndpointHealth | null | undefined): health is DisabledEndpoint => Boolean(health?.disabledAt);

/** The endpoint a recorded POST goes to; null for a send's own URL. */
export function endpointOf(webhook: { endpointKind: string | null; endpointId: string | null }): EndpointRef | null {
  return webhook.endpointKind && webhook.endpointId ? { kind: webhook.endpointKind as EndpointKind, id: webhook.endpointId } : null;
}

/**
 * Failures that say something about the receiver count against its endpoint: an error status, a redirect, a
 * timeout, a refused connection, a target the policy refuses. A POST that could not be signed says nothing about
 * the receiver (and an infrastructure failure never gets this far).
 */
export function countsAgainstEndpoint(result: AttemptResult): result is Extract<AttemptResult, { outcome: 'failed' }> {
  return result.outcome === 'failed' && result.error.code !== 'unsignable';
}

/**
 * `endpoint.disabled`, built from the record alone: its id and time are those of the switch-off, so every
 * re-publish (by any command that meets the disabled endpoint) is the same message.
 */
export function endpointDisabledEvent(health: DisabledEndpoint, traceId: string): EndpointDisabled {
  return envelopeFor(
    publications.endpointDisabled,
    {
      accountId: health.accountId,
      endpoint: { kind: health.kind, id: health.id },
      url: health.url,
      reason: health.disabledReason,
      consecutiveFailures: health.consecutiveFailures,
      disabledAt: health.disabledAt.toISOString(),
    },
    { traceId, id: `${publications.endpointDisabled.type}:${health.kind}:${health.id}:${health.disabledAt.getTime()}`, occurredAt: health.disabledAt },
  );
}

/** Why a POST to a disabled endpoint was not sent, for its record. */
export function disabledEndpointError(health: DisabledEndpoint): { code: 'endpoint_disabled'; message: string } {
  const why = health.disabledReason === 'gone' ? 'it answered 410 Gone' : `${health.consecutiveFailures} attempts in a row failed`;
  return { code: 'endpoint_disabled', message: `not sent: the endpoint was switched off at ${health.disabledAt.toISOString()} because ${why}; enable it to send again` };
}
