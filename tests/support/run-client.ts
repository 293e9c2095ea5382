import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';

export interface ClientRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a user's script (bash, python3, node) to its end with exactly `env` plus PATH and HOME, and collects
 * what it printed. A run still going after `timeoutMs` is killed and rejects with its output so far.
 */
export function runClient(command: string, args: readonly string[], env: Record<string, string>, timeoutMs = 30_000): Promise<ClientRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} still running after ${timeoutMs} ms\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Debian's /usr/bin/python3 (which has python3-requests) when it exists, else the first python3 on PATH. */
export function pythonWithRequests(): string {
  const python = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const check = spawnSync(python, ['-c', 'import requests'], { encoding: 'utf8' });
  if (check.status !== 0) {
    throw new Error(
      `${python} cannot import requests, which seed 000's Python client needs: install Debian's python3-requests ` +
        `(apt-get install python3-requests). ${check.error ? String(check.error) : check.stderr.trim()}`,
    );
  }
  return python;
}

/** Fails with a clear message when a tool a seed script calls is missing. */
export function requireTools(...tools: string[]): void {
  for (const tool of tools) {
    const check = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
    if (check.status !== 0) throw new Error(`${tool} is not on PATH; seed 000's bash client needs it`);
  }
}
