import { EXCHANGES } from '@pingback/contracts';
import { tapExchange, waitFor, type TappedMessage } from '@pingback/testing';

export interface EventLog {
  all: TappedMessage[];
  /** Events of this type about this webhook, in the order they arrived. */
  about(type: string, webhookId: string): TappedMessage[];
  /** Waits until `count` such events have arrived and returns them. */
  waitFor(type: string, webhookId: string, count?: number, timeoutMs?: number): Promise<TappedMessage[]>;
  /** Every `endpoint.disabled` about this endpoint id, in the order they arrived (a re-publish is another copy). */
  endpointDisabled(endpointId: string): TappedMessage[];
  close(): Promise<void>;
}

/** Every event on the events exchange, as another consumer would see it, looked up by webhook. */
export async function observeEvents(rabbitUrl: string): Promise<EventLog> {
  const tap = await tapExchange(rabbitUrl, EXCHANGES.events);
  const about = (type: string, webhookId: string): TappedMessage[] =>
    tap.all.filter((event) => event.type === type && event.payload.webhookId === webhookId);
  return {
    all: tap.all,
    about,
    waitFor: (type, webhookId, count = 1, timeoutMs = 20_000) =>
      waitFor(() => about(type, webhookId).length >= count && about(type, webhookId), {
        timeoutMs,
        description: `${count} ${type} event(s) for ${webhookId}`,
      }),
    endpointDisabled: (endpointId) =>
      tap.all.filter((event) => event.type === 'endpoint.disabled' && (event.payload.endpoint as { id: string }).id === endpointId),
    close: tap.close,
  };
}
