import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { waitFor } from '@pingback/testing';

export interface Child {
  /** Every complete line the process printed so far. */
  lines: string[];
  waitForLine(line: string, timeoutMs?: number): Promise<void>;
  /** SIGKILL, resolved once the process is gone. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/** Runs one of ../fixtures/*.js with plain node (against the compiled libraries) and reads its stdout by line. */
export function startFixture(name: string, env: Record<string, string>): Child {
  const child: ChildProcess = spawn(process.execPath, [path.join(__dirname, '..', 'fixtures', name)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const text = partial + chunk.toString('utf8');
    const parts = text.split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => {
    gone = true;
  });

  const kill9 = async (): Promise<void> => {
    if (!gone) child.kill('SIGKILL');
    await exited;
  };
  return {
    lines,
    waitForLine: (line, timeoutMs = 20_000) =>
      waitFor(
        () => {
          if (lines.includes(line)) return true;
          if (gone) throw new Error(`${name} exited before printing "${line}"`);
          return false;
        },
        { timeoutMs, intervalMs: 10, description: `${name} to print "${line}"` },
      ).then(() => undefined),
    kill9,
    stop: kill9,
  };
}
