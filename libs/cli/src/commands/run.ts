import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { callApi, refusal } from '../api-client';
import { requireKey, type Credentials } from '../credentials';
import { CliError } from '../exit-codes';

export interface RunOptions {
  heartbeat?: string;
  process?: string;
}

/** How much of the command's output goes with the report (its last bytes, stdout and stderr as they came). */
export const OUTPUT_TAIL_BYTES = 4096;

interface Finished {
  exitCode: number;
  durationMs: number;
  outputTail: string;
}

/**
 * `pingback run --heartbeat ID -- <command>` or `--process ID -- <command>`: runs a cron job as it is (its output
 * passes through), then reports it: a heartbeat ping whose status is the exit code, or a process run's start and
 * finish; each with the exit code, the duration and the output's tail as metadata. Exits with the command's own
 * code. A report Pingback cannot take is said on stderr and does not change that code: the job's result comes first.
 */
export async function run(credentials: Credentials, options: RunOptions, command: string[]): Promise<number> {
  if (Boolean(options.heartbeat) === Boolean(options.process)) throw new CliError('say what to report to: --heartbeat ID or --process ID (one of them)');
  if (command.length === 0) throw new CliError('no command: pingback run --heartbeat ID -- <command> [args…]');
  const key = requireKey(credentials);
  const report = (what: string, call: Promise<{ status: number; body: unknown }>, ok: (status: number) => boolean) =>
    call.then(
      (answer) => (ok(answer.status) ? answer : (warn(`${what}: ${refusal(answer).message}`), null)),
      (err: Error) => (warn(`${what}: ${err.message}`), null),
    );

  if (options.heartbeat) {
    const finished = await runCommand(command);
    await report(
      `heartbeat ${options.heartbeat}`,
      callApi(credentials.url, `/hbk/${encodeURIComponent(options.heartbeat)}`, { key, query: { status: finished.exitCode }, body: metadata(command, finished) }),
      (status) => status === 200,
    );
    return finished.exitCode;
  }

  const hook = encodeURIComponent(options.process!);
  const started = await report(`process ${options.process} start`, callApi<{ run_id?: string }>(credentials.url, `/phk/${hook}/start`, { key, body: { command: command.join(' ') } }), (status) => status === 200);
  const runId = (started?.body as { run_id?: string } | undefined)?.run_id;
  const finished = await runCommand(command);
  if (runId) {
    await report(
      `process ${options.process} finish`,
      callApi(credentials.url, `/phk/${hook}/finish`, { key, query: { run_id: runId, status: finished.exitCode }, body: metadata(command, finished) }),
      (status) => status === 200,
    );
  }
  return finished.exitCode;
}

const metadata = (command: string[], finished: Finished) => ({ command: command.join(' '), exit_code: finished.exitCode, duration_ms: finished.durationMs, output_tail: finished.outputTail });

const warn = (message: string) => process.stderr.write(`pingback: could not report ${message}\n`);

/** Runs the command with the terminal's input, passing its output through and keeping the last OUTPUT_TAIL_BYTES. */
function runCommand(command: string[]): Promise<Finished> {
  const started = Date.now();
  let tail = Buffer.alloc(0);
  const keep = (chunk: Buffer) => {
    tail = Buffer.concat([tail, chunk]);
    if (tail.length > OUTPUT_TAIL_BYTES) tail = tail.subarray(tail.length - OUTPUT_TAIL_BYTES);
  };
  return new Promise((resolve) => {
    const child = spawn(command[0]!, command.slice(1), { stdio: ['inherit', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      keep(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      keep(chunk);
    });
    const done = (exitCode: number) => resolve({ exitCode, durationMs: Date.now() - started, outputTail: tail.toString('utf8') });
    child.on('error', (err) => {
      keep(Buffer.from(`pingback: cannot run ${command[0]}: ${err.message}\n`));
      process.stderr.write(`pingback: cannot run ${command[0]}: ${err.message}\n`);
      // 127, as a shell says for a command it cannot find.
      done(127);
    });
    // As a shell reports a command killed by a signal: 128 + its number.
    child.on('close', (code, signal) => done(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0)));
  });
}
