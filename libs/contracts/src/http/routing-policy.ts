import { z } from 'zod';
import { DESTINATION_KINDS } from './destinations';

/** A destination of the channel by id (`dst_…`), or every destination of a kind (`"email"`). */
export const DestinationSelector = z.union([
  z.string().regex(/^dst_[0-9A-Za-z]{26}$/, 'must be a destination id (dst_…) or a destination kind'),
  z.enum(DESTINATION_KINDS as [string, ...string[]]),
]);
export type DestinationSelector = z.infer<typeof DestinationSelector>;

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000 } as const;
const MAX_STEP_MS = 7 * 24 * UNIT_MS.h;

/** `"30s"`, `"2m"`, `"1h"`: a step's wait, 1 s to 7 days, in milliseconds. */
export const StepDelay = z
  .string()
  .regex(/^\d{1,6}[smh]$/, 'must be a number and a unit: "30s", "2m" or "1h"')
  .transform((text) => Number(text.slice(0, -1)) * UNIT_MS[text.slice(-1) as keyof typeof UNIT_MS])
  .refine((ms) => ms >= 1_000 && ms <= MAX_STEP_MS, 'must be between 1s and 7 days (168h)');

export const MAX_FALLBACKS = 10;
export const MAX_ESCALATION_STEPS = 10;
export const MAX_ESCALATION_REPEATS = 10;

/** Tried in order, one entry each time a delivery fails for good; the entries' destinations are held back until then. */
export const FallbackList = z.array(DestinationSelector).min(1).max(MAX_FALLBACKS);

/**
 * While nobody answers: after each step's wait (counted from the step before), deliver to its destinations; the
 * whole list runs `repeat` more times. Stops the moment the message is answered or expires.
 */
export const EscalationPolicyInput = z.object({
  steps: z
    .array(z.object({ after: StepDelay, destinations: z.array(DestinationSelector).min(1).max(20) }))
    .min(1)
    .max(MAX_ESCALATION_STEPS),
  repeat: z.number().int().min(0).max(MAX_ESCALATION_REPEATS).default(0),
});

/** As carried and stored: waits in milliseconds. */
export const EscalationPolicy = z.object({
  steps: z.array(z.object({ afterMs: z.number().int().positive(), destinations: z.array(z.string()) })),
  repeat: z.number().int().min(0),
});
export type EscalationPolicy = z.infer<typeof EscalationPolicy>;

export function toEscalationPolicy(input: z.infer<typeof EscalationPolicyInput>): EscalationPolicy {
  return { steps: input.steps.map((step) => ({ afterMs: step.after, destinations: step.destinations })), repeat: input.repeat };
}

/** A wait as it is written: the largest unit that divides it (`2m`, not `120s`), so a policy read back can be sent again. */
function writtenDelay(ms: number): string {
  if (ms % UNIT_MS.h === 0) return `${ms / UNIT_MS.h}h`;
  if (ms % UNIT_MS.m === 0) return `${ms / UNIT_MS.m}m`;
  return `${Math.round(ms / UNIT_MS.s)}s`;
}

/** A stored policy as the API takes it. */
export function escalationInputOf(policy: EscalationPolicy) {
  return { steps: policy.steps.map((step) => ({ after: writtenDelay(step.afterMs), destinations: step.destinations })), repeat: policy.repeat };
}
