const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/**
 * What a service logged, grouped by level, message and error with a count. Services log pino JSON lines; with
 * LOG_LEVEL=warn every line is a warning or worse, so any line here is worth a look.
 */
export function groupLogLines(logs: string): Map<string, number> {
  const groups = new Map<string, number>();
  for (const line of logs.split('\n')) {
    if (!line.trim()) continue;
    let key: string;
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string }; error?: unknown };
      const level = LEVELS[entry.level ?? 0] ?? `level ${String(entry.level)}`;
      const error = entry.err?.message ?? (typeof entry.error === 'string' ? entry.error : undefined);
      key = `${level}: ${entry.msg ?? ''}${error ? ` (${error.slice(0, 300)})` : ''}`;
    } catch {
      // The kept output is its last 1 MB, so its first line may be cut; anything else here is not pino's.
      key = 'lines that are not JSON (the first may be a cut-off one)';
    }
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  return groups;
}
