/** Seeds 000–003 write timestamps as `2026-01-12T20:18:13Z`: UTC, whole seconds, no fraction (CONTRACT §8). */
export function toSeedTimestamp(date: Date | string): string {
  return new Date(date).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Seed 004 writes them as `2026-06-02T18:24:05+00:00`: UTC, whole seconds, an explicit offset (CONTRACT §8). */
export function toSeed004Timestamp(date: Date | string): string {
  return toSeedTimestamp(date).replace(/Z$/, '+00:00');
}

/** `2026-12-01 09:30 UTC`: a time in text for people, in no client's zone of its own; a value that does not parse as it came. */
export function readableUtc(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
