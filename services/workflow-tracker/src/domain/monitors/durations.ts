const UNITS = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
] as const;

/** A duration as people write it: `10m`, `1h 30m`, `2d 4h`, `45s`, `250ms` (at most the two largest units). */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1000) * 1000;
  for (const [unit, size] of UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0 && parts.length < 2) parts.push(`${count}${unit}`);
    if (count > 0) rest -= count * size;
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

/** `2025-01-15T10:30:00Z`: the seed's way of writing a moment (no milliseconds when there are none). */
export const moment = (at: Date): string => at.toISOString().replace('.000Z', 'Z');
