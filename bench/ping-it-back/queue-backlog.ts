import { managementCall, managementGet } from './management-api';

export interface QueueCounts {
  /** Messages waiting or unacknowledged per work queue (delay and parking queues aside); empty ones left out. */
  work: Record<string, number>;
  /** Messages per delay queue (`<queue>.retry.<ms>.v2`): failures waiting for their retry. */
  retrying: Record<string, number>;
  /** Parked messages, per parking queue: failures that used up their attempts. */
  parked: Record<string, number>;
  /** How many queues of each type (quorum, classic) the vhost has. */
  types: Record<string, number>;
}

export const vhostOf = (amqpUrl: string) => decodeURIComponent(new URL(amqpUrl).pathname.slice(1)) || '/';
export const isParkingQueue = (name: string) => name.endsWith('.parked');
export const isDelayQueue = (name: string) => /\.retry\.\d+(\.v\d+)?$/.test(name);

/**
 * The `x-last-error` header of the first message in `queue`, looked at and put back (the management API's get
 * with requeue): why messages are waiting for a retry or were parked.
 */
export async function peekLastError(managementUrl: string, amqpUrl: string, queue: string): Promise<string | undefined> {
  const messages = await managementCall<{ properties?: { headers?: Record<string, unknown> } }[]>(
    managementUrl,
    `/queues/${encodeURIComponent(vhostOf(amqpUrl))}/${encodeURIComponent(queue)}/get`,
    { count: 1, ackmode: 'reject_requeue_true', encoding: 'auto', truncate: 2_000 },
  );
  const lastError = messages[0]?.properties?.headers?.['x-last-error'] ?? messages[0]?.properties?.headers?.['x-parked-reason'];
  return lastError === undefined ? undefined : String(lastError);
}

/**
 * Reads the queues of one vhost through the RabbitMQ management API. The figures lag a few seconds behind
 * (the management API's statistics interval), so a backlog of 0 means "nothing left, give or take a moment".
 */
export function queueReader(managementUrl: string, amqpUrl: string): () => Promise<QueueCounts> {
  const vhost = vhostOf(amqpUrl);
  return async () => {
    const queues = await managementGet<{ name: string; messages?: number; type?: string }[]>(
      managementUrl,
      `/queues/${encodeURIComponent(vhost)}?columns=name,messages,type`,
    );
    const counts: QueueCounts = { work: {}, retrying: {}, parked: {}, types: {} };
    for (const queue of queues) {
      const messages = queue.messages ?? 0;
      const type = queue.type ?? 'unknown';
      counts.types[type] = (counts.types[type] ?? 0) + 1;
      if (messages === 0) continue;
      if (isParkingQueue(queue.name)) counts.parked[queue.name] = messages;
      else if (isDelayQueue(queue.name)) counts.retrying[queue.name] = messages;
      else counts.work[queue.name] = messages;
    }
    return counts;
  };
}
