import type { ArrivalReceiver } from './arrival-receiver';
import { sendOpenLoop } from './open-loop-sender';
import { summarize, type LatencySummary } from './percentiles';

export interface DeliveryLatencyResult {
  scheduled: number;
  /** Sends answered 200 with a message id. */
  accepted: number;
  /** Sends answered otherwise, or not at all, by status or error. */
  notAccepted: Map<string, number>;
  /**
   * Due time → 200 answer, over every send that was not refused outright: one still unanswered at the deadline
   * counts as infinitely late, so a percentile that reaches those reads "never" instead of looking good.
   */
  acceptLatencyMs: LatencySummary;
  /** Due time → arrival at the webhook destination, on the same terms: a send that never arrived is infinitely late. */
  deliveryLatencyMs: LatencySummary;
  arrived: number;
  /** Accepted sends that had not arrived by the end of the drain period. */
  missing: number;
  /** Their message ids, so a later wait can tell when they did arrive. */
  missingIds: string[];
  /** The last arrival, after the last send was due; or when the drain gave up. */
  drainedAfterMs: number;
  /** The longest a send went out after its due time: how far the sender itself fell behind. */
  pacerLagMs: number;
}

export interface DeliveryLatencyOptions {
  sendUrl: string;
  body: unknown;
  receiver: ArrivalReceiver;
  ratePerSecond: number;
  seconds: number;
  /** After the last due send, how long to wait for answers and arrivals. */
  drainSeconds: number;
}

/**
 * Sends at a steady rate (open loop) to a channel whose webhook destination is `receiver`, waits up to the drain
 * period after the last due send for the rest to arrive, and measures each message from its due time.
 */
export async function measureDeliveryLatency(options: DeliveryLatencyOptions): Promise<DeliveryLatencyResult> {
  const { sends, lastDueAt } = await sendOpenLoop({
    url: options.sendUrl,
    body: options.body,
    ratePerSecond: options.ratePerSecond,
    seconds: options.seconds,
    answerDeadlineSeconds: options.drainSeconds,
  });
  const isAccepted = (send: (typeof sends)[number]) => send.status === 200 && send.messageId !== undefined;
  const accepted = sends.filter(isAccepted);
  const { arrivals } = options.receiver;
  const deadline = lastDueAt + options.drainSeconds * 1000;
  while (accepted.some((send) => !arrivals.has(send.messageId!)) && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const notAccepted = new Map<string, number>();
  for (const send of sends) {
    if (isAccepted(send)) continue;
    const reason = send.status ? `${send.status}${send.error ? ` ${send.error}` : ''}` : (send.error ?? 'no answer');
    notAccepted.set(reason, (notAccepted.get(reason) ?? 0) + 1);
  }
  // A send answered with an error was refused, not slow: it has no latency. Unanswered ones count as never.
  const measured = sends.filter((send) => isAccepted(send) || send.status === undefined);
  const arrivedAt = (send: (typeof sends)[number]) => (send.messageId ? arrivals.get(send.messageId) : undefined);
  const arrived = accepted.filter((send) => arrivedAt(send) !== undefined);
  const lastArrival = arrived.reduce((latest, send) => Math.max(latest, arrivedAt(send)!), lastDueAt);
  return {
    scheduled: sends.length,
    accepted: accepted.length,
    notAccepted,
    acceptLatencyMs: summarize(measured.map((send) => (isAccepted(send) ? send.answeredAt! - send.dueAt : Infinity))),
    deliveryLatencyMs: summarize(measured.map((send) => (arrivedAt(send) ?? Infinity) - send.dueAt)),
    arrived: arrived.length,
    missing: accepted.length - arrived.length,
    missingIds: accepted.filter((send) => arrivedAt(send) === undefined).map((send) => send.messageId!),
    drainedAfterMs: arrived.length === accepted.length ? lastArrival - lastDueAt : performance.now() - lastDueAt,
    pacerLagMs: sends.reduce((max, send) => Math.max(max, (send.sentAt ?? send.dueAt) - send.dueAt), 0),
  };
}
