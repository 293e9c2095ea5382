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
}

export type MessageHandler<T> = (message: T, ctx: ConsumeContext) => Promise<void>;

export interface Subscription<T> {
  schema: z.ZodType<T>;
  handler: MessageHandler<T>;
}
