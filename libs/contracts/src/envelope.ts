import { z } from 'zod';

/** The one wrapper every broker message travels in. `type` + `version` say how to read `payload`. */
export const Envelope = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  version: z.number().int().positive(),
  occurredAt: z.string().datetime({ offset: true }),
  traceId: z.string().min(1),
  payload: z.unknown(),
});
export type Envelope = z.infer<typeof Envelope>;

/** Builds the schema of one message kind: the envelope with a literal type, version and a typed payload. */
export function envelopeOf<TType extends string, TVersion extends number, TPayload extends z.ZodTypeAny>(
  type: TType,
  version: TVersion,
  payload: TPayload,
) {
  return Envelope.extend({ type: z.literal(type), version: z.literal(version), payload });
}
