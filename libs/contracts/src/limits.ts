import { ConfigError } from '@pingback/config';
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
  /** How deeply objects and arrays may nest in any JSON body (CONTRACT §4). */
  jsonDepth: 32,
  minExpiresInSeconds: 60,
  maxExpiresInSeconds: 604_800,
  defaultExpiresInSeconds: 86_400,
} as const;

export type Limits = { -readonly [K in keyof typeof DEFAULT_LIMITS]: number };

/** Names kept from before every limit had its own variable (tests and docs use them). */
const LEGACY_NAMES: Partial<Record<keyof Limits, string>> = {
  minExpiresInSeconds: 'PINGBACK_MIN_EXPIRES_IN_SECONDS',
  defaultExpiresInSeconds: 'PINGBACK_DEFAULT_EXPIRES_IN_SECONDS',
};

/** `sendBodyBytes` → `PINGBACK_LIMIT_SEND_BODY_BYTES`. */
export const limitVariable = (name: keyof Limits): string =>
  LEGACY_NAMES[name] ?? `PINGBACK_LIMIT_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

const PositiveInt = z.coerce.number().int().positive();

/** Every limit of CONTRACT §4 can be set by environment (`limitVariable` names it); unset ones keep the default. */
export function loadLimits(env: NodeJS.ProcessEnv = process.env): Limits {
  const limits = { ...DEFAULT_LIMITS } as Limits;
  for (const name of Object.keys(DEFAULT_LIMITS) as (keyof Limits)[]) {
    const variable = limitVariable(name);
    const raw = env[variable];
    if (raw === undefined || raw === '') continue;
    const parsed = PositiveInt.safeParse(raw);
    if (!parsed.success) throw new ConfigError(`config: ${variable} is invalid: must be a positive whole number`);
    limits[name] = parsed.data;
  }
  return limits;
}
