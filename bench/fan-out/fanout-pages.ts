import { subscriptions } from '@pingback/contracts';
import type { RunningService } from '@pingback/testing';
import { fetchMetrics, samplesOf } from '../ping-it-back/prometheus-text';

/** What one dispatcher process has acknowledged so far, from its /metrics. */
export interface DispatcherWork {
  /** Accepted sends it dispatched: the send's transaction also writes the first page of its destinations. */
  sends: number;
  /** Later pages it took from the fan-out queue, which every dispatcher process shares. */
  pages: number;
}

export async function dispatcherWork(dispatchers: readonly RunningService[]): Promise<DispatcherWork[]> {
  return Promise.all(
    dispatchers.map(async (dispatcher) => {
      const acked = samplesOf(await fetchMetrics(`http://127.0.0.1:${dispatcher.healthPort}`), 'pingback_messages_acked_total');
      const of = (queue: string) => acked.find((sample) => sample.labels.queue === queue)?.value ?? 0;
      return { sends: of(subscriptions.dispatchNotification.queue), pages: of(subscriptions.fanoutNotification.queue) };
    }),
  );
}

/** What each dispatcher process did between two readings. */
export const workBetween = (before: readonly DispatcherWork[], after: readonly DispatcherWork[]): DispatcherWork[] =>
  after.map((work, index) => ({ sends: work.sends - (before[index]?.sends ?? 0), pages: work.pages - (before[index]?.pages ?? 0) }));
