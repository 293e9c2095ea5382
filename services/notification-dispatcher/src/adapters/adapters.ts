import type { DestinationKind } from '@pingback/contracts';
import type { DestinationAdapter } from './adapter';

/** The adapters of the providers this deployment configured; a kind without one cannot be delivered to. */
export type Adapters = Partial<Record<DestinationKind, DestinationAdapter<never>>>;

/** Seed 003's `recipient` of a destination: what its adapter shows, or the webhook's URL. */
export function recipientOf(adapters: Adapters, kind: string, settings: Record<string, unknown>): string {
  if (kind === 'webhook') return String(settings.url);
  const adapter = adapters[kind as DestinationKind] as DestinationAdapter<Record<string, unknown>> | undefined;
  return adapter ? adapter.recipient(settings) : kind;
}
