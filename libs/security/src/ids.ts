import { ulid } from './pooled-random';

const ID_PREFIX_PATTERN = /^[a-z][a-z0-9]*_$/;

/** A public id: the prefix and a ULID (time-ordered, 80 random bits), e.g. `newId('dlv_')`. */
export function newId(prefix: `${string}_`): string {
  if (!ID_PREFIX_PATTERN.test(prefix)) throw new Error(`id prefix must look like "abc_", got "${prefix}"`);
  return prefix + ulid();
}
