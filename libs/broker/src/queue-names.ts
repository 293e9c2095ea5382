/** Delay queues are named by their delay, so a changed schedule declares new queues instead of clashing. */
export function retryQueueName(queue: string, delayMs: number): string {
  return `${queue}.retry.${delayMs}`;
}

export function parkedQueueName(queue: string): string {
  return `${queue}.parked`;
}
