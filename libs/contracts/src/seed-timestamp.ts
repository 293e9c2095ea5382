/** Seeds 000–003 write timestamps as `2026-01-12T20:18:13Z`: UTC, whole seconds, no fraction (CONTRACT §8). */
export function toSeedTimestamp(date: Date | string): string {
  return new Date(date).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
