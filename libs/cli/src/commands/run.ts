import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { callApi, refusal } from '../api-client';
import type { Credentials } from '../credentials';
import { CliError } from '../exit-codes';

export interface RunOptions {
  heartbeat?: string;
  process?: string;
}

/** How much of the command's output goes with the report (its last bytes, stdout and stderr as they came). */
export const OUTPUT_TAIL_BYTES = 4096;
/** How much of the command line goes with the report (it may be long; mind that it is stored). */
const COMMAND_CHARS = 1024;

interface Finished {
  exitCode: number;
  durationMs: number;
  outputTail: string;
}

/**
 * `pingback run --heartbeat ID -- <command>` or `--process ID -- <command>`: runs a cron job as it is (its output
 * passes through), then reports it: a heartbeat ping whose status is the exit code, or a process run's start and
 * finish; each with the exit code, the duration and the output's tail as metadata. Exits with the command's own
 * code. The job always runs: missing credentials, or a report Pingback cannot take, are said on stderr and never
 * change that code. A signal to `pingback` (SIGTERM from a timeout or a supervisor) goes to the command.
 */
export async function run(credentials: () => Credentials, options: RunOptions, command: string[]): Promise<number> {
  if (Boolean(options.heartbeat) === Boolean(options.process)) throw new CliError('say what to report to: --heartbeat ID or --process ID (one of them)');
  if (command.length === 0) throw new CliError('no command: pingback run --heartbeat ID -- <command> [args…]');
  const reporter = reporterFor(credentials);

  if (options.heartbeat) {
    const finished = await runCommand(command);
    await reporter?.(`heartbeat ${options.heartbeat}`, `/hbk/${encodeURIComponent(options.heartbeat)}`, { status: finished.exitCode }, metadata(command, finished));
    return finished.exitCode;
  }
  const hook = encodeURIComponent(options.process!);
  const started = await reporter?.(`process ${options.process} start`, `/phk/${hook}/start`, {}, { metadata: { command: commandLine(command) } });
  const finished = await runCommand(command);
  const runId = (started as { run_id?: string } | null | undefined)?.run_id;
  if (runId) await reporter?.(`process ${options.process} finish`, `/phk/${hook}/finish`, { run_id: runId, status: finished.exitCode }, { metadata: metadata(command, finished) });
  return finished.exitCode;
}

type Reporter = (what: string, path: string, query: Record<string, string | number>, body: Record<string, unknown>) => Promise<unknown>;

/** Reports as the credentials say, or null (with a warning) when there are none: the job runs unreported. */
function reporterFor(credentials: () => Credentials): Reporter | null {
  let resolved: Credentials;
  try {
    resolved = credentials();
  } catch (err) {
    warn(`the run: ${(err as Error).message}`);
    return null;
  }
  const key = resolved.apiKey;
  if (!key) {
    warn('the run: no API key (pass --key, set PINGBACK_API_KEY, or run pingback login)');
    return null;
  }
  return async (what, path, query, body) => {
    try {
      const answer = await callApi(resolved.url, path, { key, query, body });
      if (answer.status === 200) return answer.body;
      warn(`${what}: ${refusal(answer).message}`);
    } catch (err) {
      warn(`${what}: ${(err as Error).message}`);
    }
    return null;
  };
}

const warn = (message: string) => process.stderr.write(`pingback: could not report ${message}\n`);

/** Text Pingback stores: no NUL or other control character but tab and line breaks (a job may print binary). */
// eslint-disable-next-line no-control-regex -- control characters are what it replaces
const storable = (text: string) => text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\uFFFD');

const commandLine = (command: string[]) => storable(command.join(' ').slice(0, COMMAND_CHARS));

const metadata = (command: string[], finished: Finished) => ({
  command: commandLine(command),
  exit_code: finished.exitCode,
  duration_ms: finished.durationMs,
  output_tail: storable(finished.outputTail),
});

/**
 * Runs the command with the terminal's input, passing its output through (with back-pressure; a reader that went
 * away, as `| head` does, stops the passing, not the job) and keeping the last OUTPUT_TAIL_BYTES.
 */
function runCommand(command: string[]): Promise<Finished> {
  const started = Date.now();
  let tail = Buffer.alloc(0);
  const keep = (chunk: Buffer) => {
    tail = Buffer.concat([tail, chunk]);
    if (tail.length > OUTPUT_TAIL_BYTES) tail = tail.subarray(tail.length - OUTPUT_TAIL_BYTES);
  };
  return new Promise((resolve) => {
    const child = spawn(command[0]!, command.slice(1), { stdio: ['inherit', 'pipe', 'pipe'] });
    for (const [from, to] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ] as const) {
      from.on('data', keep);
      from.pipe(to, { end: false });
      to.once('error', () => {
        from.unpipe(to);
        from.resume();
      });
    }
    const forward = (signal: NodeJS.Signals) => () => void child.kill(signal);
    const handlers = (['SIGTERM', 'SIGINT', 'SIGHUP'] as const).map((signal) => [signal, forward(signal)] as const);
    for (const [signal, handler] of handlers) process.on(signal, handler);
    const done = (exitCode: number) => {
      for (const [signal, handler] of handlers) process.off(signal, handler);
      resolve({ exitCode, durationMs: Date.now() - started, outputTail: tail.toString('utf8') });
    };
    child.on('error', (err) => {
      const said = `pingback: cannot run ${command[0]}: ${err.message}\n`;
      keep(Buffer.from(said));
      process.stderr.write(said);
      // 127, as a shell says for a command it cannot find.
      done(127);
    });
    // As a shell reports a command killed by a signal: 128 + its number.
    child.on('close', (code, signal) => done(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0)));
  });
}
