import type { ArrivalReceiver } from './arrival-receiver';

/**
 * Which accepted sends a webhook destination has not seen yet. A send that was in flight when a load generator
 * stopped may be accepted without the generator learning its id: it arrives as "unexpected", not as missing.
 */
export class DeliveryLedger {
  private readonly outstanding = new Set<string>();
  private readonly writtenOff = new Set<string>();
  private expectedCount = 0;

  constructor(private readonly receiver: ArrivalReceiver) {}

  expect(messageId: string): void {
    this.expectedCount += 1;
    if (!this.receiver.arrivals.has(messageId)) this.outstanding.add(messageId);
  }

  get expected(): number {
    return this.expectedCount;
  }

  /** Accepted sends that have not arrived yet (and were not written off). */
  pending(): number {
    for (const id of this.outstanding) if (this.receiver.arrivals.has(id)) this.outstanding.delete(id);
    return this.outstanding.size;
  }

  /** Stops waiting for the sends still outstanding: the bench purged the queues that held them. */
  writeOff(): void {
    for (const id of this.outstanding) this.writtenOff.add(id);
    this.outstanding.clear();
  }

  /** Written-off sends that have not arrived (yet: one a consumer held when the queues were purged still may). */
  writtenOffMissing(): number {
    for (const id of this.writtenOff) if (this.receiver.arrivals.has(id)) this.writtenOff.delete(id);
    return this.writtenOff.size;
  }

  /** Arrivals of sends whose acceptance the load generator never saw. */
  unexpected(): number {
    return this.receiver.arrivals.size - (this.expectedCount - this.pending() - this.writtenOffMissing());
  }
}
