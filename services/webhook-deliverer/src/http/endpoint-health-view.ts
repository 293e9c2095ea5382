import type { EndpointHealthView, EndpointRef } from '@pingback/contracts';
import type { EndpointHealth } from '../domain/endpoint-health';

/** An endpoint's health as its owner sees it; one with no record never failed. */
export function toEndpointHealthView(endpoint: EndpointRef, health: EndpointHealth | null): EndpointHealthView {
  return {
    kind: endpoint.kind,
    id: endpoint.id,
    consecutive_failures: health?.consecutiveFailures ?? 0,
    disabled_at: health?.disabledAt?.toISOString() ?? null,
    disabled_reason: health?.disabledReason ?? null,
  };
}
