import type { z } from 'zod';

export interface ConsumeContext {
  /** 1 on the first delivery, then one more per retry. */
  attempt: number;
  maxAttempts: number;
  /** When true a failure parks the message instead of retrying it. */
  isLastAttempt: boolean;
  traceId: string;
  headers: Record<string, unknown>;
  /** Fails this attempt and asks for the next one no sooner than `ms` from now (a Retry-After). */
  retryAfterMs(ms: number): never;
  /** How long the next attempt waits should this one fail now, asking for `requestedMs` (or not). */
  nextRetryDelayMs(requestedMs?: number): number;
}

export type MessageHandler<T> = (message: T, ctx: ConsumeContext) => Promise<void>;

/**
 * Handles several messages at once (one transaction for all). Idempotent like every handler: when it throws,
 * each message is handled again alone.
 */
export type BatchHandler<T> = (messages: T[]) => Promise<void>;

/** What consume() registered for a queue: the schema its messages are parsed with, and the handler. */
export interface QueueHandler<T> {
  schema: z.ZodType<T>;
  handler: MessageHandler<T>;
}
