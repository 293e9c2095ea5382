#!/usr/bin/env node
/**
 * Parked messages, by hand: `list [queue]` shows how many each queue has parked and why;
 * `replay <queue> [--limit N]` moves them back to the work queue with a fresh attempt count.
 * Reads RABBITMQ_URL (and PINGBACK_RETRY_SCHEDULES, which only changes delays, not queue names).
 */
import { listParked, type ParkedQueueReport, replayParked } from '../parked-messages';
import { withScheduleOverrides } from '../retry-schedules';
import { topology } from '../topology';

const USAGE = 'usage: parked list [queue] [--limit N] | parked replay <queue> [--limit N]';

export async function runParkedCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { positional, limit } = parseArguments(argv);
  const [command, queue] = positional;
  const url = env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
  const effective = withScheduleOverrides(topology, env.PINGBACK_RETRY_SCHEDULES);
  if (command === 'list') {
    const reports = await listParked({ url, topology: effective, queue, limit });
    process.stdout.write(formatReports(reports));
    return 0;
  }
  if (command === 'replay' && queue) {
    const { replayed } = await replayParked({ url, topology: effective, queue, limit });
    process.stdout.write(`replayed ${replayed} message(s) from ${queue}.parked to ${queue}\n`);
    return 0;
  }
  process.stderr.write(`${USAGE}\n`);
  return 2;
}

function parseArguments(argv: string[]): { positional: string[]; limit?: number } {
  const positional: string[] = [];
  let limit: number | undefined;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] as string;
    if (argument === '--limit' || argument.startsWith('--limit=')) {
      const value = argument === '--limit' ? argv[++index] : argument.slice('--limit='.length);
      limit = Number(value);
      if (!Number.isInteger(limit) || limit < 0) throw new Error(`--limit needs a whole number, got "${value}"`);
    } else {
      positional.push(argument);
    }
  }
  return { positional, limit };
}

function formatReports(reports: ParkedQueueReport[]): string {
  const lines: string[] = [];
  for (const report of reports) {
    lines.push(`${report.parkedQueue}: ${report.count} parked`);
    for (const message of report.messages) {
      const fields = [
        `id=${message.id ?? '-'}`,
        `type=${message.type ?? '-'}`,
        `attempt=${message.attempt}`,
        `reason=${message.reason ?? '-'}`,
        `error=${JSON.stringify(message.lastError ?? null)}`,
      ];
      lines.push(`  ${fields.join(' ')}`);
    }
    if (report.count > report.messages.length) lines.push(`  … ${report.count - report.messages.length} more`);
  }
  return `${lines.join('\n')}\n`;
}

if (require.main === module) {
  runParkedCli(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`parked: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
