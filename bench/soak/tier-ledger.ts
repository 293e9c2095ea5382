/** What happened to the retries of one delay tier of one queue. */
export interface TierCount {
  scenario: string;
  queue: string;
  tierMs: number;
  /** Messages whose first attempt was published, confirmed, for a retry in this tier. */
  in: number;
  /** Distinct messages whose retry came back. */
  out: number;
  /** Retries that came back more than once. */
  duplicates: number;
  /** Retries that came back sooner than their tier. */
  early: number;
  /** The longest a retry came back after its tier was over, in ms. */
  maxLateMs: number;
  /** Put in for a tier longer than the run: still waiting at the end, as they should be. */
  waiting: number;
  /** Of those, how many its delay queue still held at the end. */
  waitingSeen: number;
}

interface Retry {
  key: string;
  /** Its publish was confirmed: it counts as put in. */
  confirmed: boolean;
  /** Due after the run ends: checked in its queue at the end instead of waited for. */
  long: boolean;
  failedAt?: number;
  outs: number;
}

/** Counts every retry in and out, by scenario, queue and tier; a retry is known by its envelope id. */
export class TierLedger {
  private readonly counts = new Map<string, TierCount>();
  private readonly retries = new Map<string, Retry>();

  tier(scenario: string, queue: string, tierMs: number): string {
    const key = `${scenario}\u0000${queue}\u0000${tierMs}`;
    if (!this.counts.has(key)) {
      this.counts.set(key, { scenario, queue, tierMs, in: 0, out: 0, duplicates: 0, early: 0, maxLateMs: 0, waiting: 0, waitingSeen: 0 });
    }
    return key;
  }

  /** Known before its publish, because its first attempt may arrive before the confirm does. */
  publishing(key: string, id: string, long: boolean): void {
    this.retries.set(id, { key, confirmed: false, long, outs: 0 });
  }

  putIn(id: string): void {
    const retry = this.retries.get(id);
    if (!retry || retry.confirmed) return;
    retry.confirmed = true;
    this.count(retry.key).in++;
  }

  /** Its publish failed: it was never put in (should it arrive anyway, it is not counted). */
  notPublished(id: string): void {
    this.retries.delete(id);
  }

  failed(id: string, at: number): void {
    const retry = this.retries.get(id);
    if (retry && retry.failedAt === undefined) retry.failedAt = at;
  }

  /** Returns true the first time this retry comes back. */
  cameOut(id: string, at: number): boolean {
    const retry = this.retries.get(id);
    if (!retry) return false;
    const count = this.count(retry.key);
    retry.outs++;
    if (retry.outs > 1) {
      count.duplicates++;
      return false;
    }
    count.out++;
    const waited = at - (retry.failedAt ?? at);
    // A millisecond of slack: timers and RabbitMQ's TTL clock round differently.
    if (waited < count.tierMs - 1) count.early++;
    count.maxLateMs = Math.max(count.maxLateMs, Math.round(waited - count.tierMs));
    return true;
  }

  /** Retries due within the run that have not come back yet. */
  missing(): number {
    let missing = 0;
    for (const retry of this.retries.values()) if (retry.confirmed && !retry.long && retry.outs === 0) missing++;
    return missing;
  }

  /** Tiers whose long retries are still waiting, with how many each should hold. */
  waitingByTier(): Map<string, number> {
    const waiting = new Map<string, number>();
    for (const retry of this.retries.values()) {
      if (retry.confirmed && retry.long && retry.outs === 0) waiting.set(retry.key, (waiting.get(retry.key) ?? 0) + 1);
    }
    return waiting;
  }

  recordWaiting(key: string, expected: number, seen: number): void {
    const count = this.count(key);
    count.waiting = expected;
    count.waitingSeen = seen;
  }

  all(): TierCount[] {
    return [...this.counts.values()];
  }

  private count(key: string): TierCount {
    const count = this.counts.get(key);
    if (!count) throw new Error(`unknown tier ${key}`);
    return count;
  }
}
