import { managementDelete, managementGet } from './management-api';
import { isDelayQueue, isParkingQueue, vhostOf } from './queue-backlog';

/**
 * Empties every work queue of the run's vhost through the management API, so a phase that left a backlog on
 * purpose (the edge alone, a step the stack could not hold) does not slow the next one. Delay and parking queues
 * stay as they are, and so do exclusive queues (a service's own, which only its connection may purge).
 * Unacknowledged messages stay with their consumer. Returns the messages the queues held, by the management
 * API's count (a few seconds old).
 */
export async function purgeWorkQueues(managementUrl: string, amqpUrl: string): Promise<number> {
  const vhost = encodeURIComponent(vhostOf(amqpUrl));
  const queues = await managementGet<{ name: string; messages_ready?: number; exclusive?: boolean }[]>(
    managementUrl,
    `/queues/${vhost}?columns=name,messages_ready,exclusive`,
  );
  let purged = 0;
  for (const queue of queues) {
    if (queue.exclusive || isDelayQueue(queue.name) || isParkingQueue(queue.name)) continue;
    await managementDelete(managementUrl, `/queues/${vhost}/${encodeURIComponent(queue.name)}/contents`);
    purged += queue.messages_ready ?? 0;
  }
  return purged;
}
