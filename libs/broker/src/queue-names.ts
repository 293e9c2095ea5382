/**
 * Delay queues are named by their work queue, their delay and the version of their arguments: RabbitMQ refuses to
 * declare an existing queue with other arguments, so a changed schedule or a changed argument set declares new
 * queues instead of clashing. Version 2 dropped `x-expires`; the unversioned `<queue>.retry.<ms>` queues of
 * version 1 carry it, still drain back to their work queue, and are deleted by their own lease.
 */
export const DELAY_QUEUE_VERSION = 2;

export function retryQueueName(queue: string, delayMs: number): string {
  return `${queue}.retry.${delayMs}.v${DELAY_QUEUE_VERSION}`;
}

export function parkedQueueName(queue: string): string {
  return `${queue}.parked`;
}
