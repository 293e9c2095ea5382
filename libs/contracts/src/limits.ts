import { z } from 'zod';

/** CONTRACT.md §4 defaults. Every limit can be changed by configuration (see `loadLimits`). */
export const DEFAULT_LIMITS = {
  sendBodyBytes: 64 * 1024,
  dataBytes: 16 * 1024,
  titleChars: 200,
  bodyChars: 4000,
  actions: 10,
  labelChars: 40,
  selectOptions: 25,
  textAnswerChars: 2000,
  placeholderChars: 200,
  optionValueChars: 200,
  urlChars: 2048,
  minExpiresInSeconds: 60,
  maxExpiresInSeconds: 604_800,
  defaultExpiresInSeconds: 86_400,
} as const;

export type Limits = { -readonly [K in keyof typeof DEFAULT_LIMITS]: number };

const LimitsFromEnv = z.object({
  PINGBACK_LIMIT_SEND_BODY_BYTES: z.coerce.number().int().positive().optional(),
  PINGBACK_LIMIT_DATA_BYTES: z.coerce.number().int().positive().optional(),
  PINGBACK_MIN_EXPIRES_IN_SECONDS: z.coerce.number().int().positive().optional(),
  PINGBACK_DEFAULT_EXPIRES_IN_SECONDS: z.coerce.number().int().positive().optional(),
});

/** The limits that operators tune most often come from the environment; the rest keep CONTRACT defaults. */
export function loadLimits(env: NodeJS.ProcessEnv = process.env): Limits {
  const parsed = LimitsFromEnv.parse(env);
  return {
    ...DEFAULT_LIMITS,
    sendBodyBytes: parsed.PINGBACK_LIMIT_SEND_BODY_BYTES ?? DEFAULT_LIMITS.sendBodyBytes,
    dataBytes: parsed.PINGBACK_LIMIT_DATA_BYTES ?? DEFAULT_LIMITS.dataBytes,
    minExpiresInSeconds: parsed.PINGBACK_MIN_EXPIRES_IN_SECONDS ?? DEFAULT_LIMITS.minExpiresInSeconds,
    defaultExpiresInSeconds: parsed.PINGBACK_DEFAULT_EXPIRES_IN_SECONDS ?? DEFAULT_LIMITS.defaultExpiresInSeconds,
  };
}
