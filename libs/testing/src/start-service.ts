import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from './free-port';
import { REPO_ROOT } from './repo-root';
import { waitFor } from './wait-for';
import { portAnswers } from './local-process';

export interface StartServiceOptions {
  /** The internal /healthz, /readyz, /metrics port (HEALTH_PORT); a free one when left out. */
  healthPort?: number;
  /** The public HTTP port (PORT), for the gateway; set only when given. */
  port?: number;
  /** How long to wait for /readyz to answer 200 (default 30 s). */
  readyTimeoutMs?: number;
}

export interface RunningService {
  name: string;
  pid: number;
  /** PORT when one was given, otherwise the health port. */
  port: number;
  healthPort: number;
  /** http://127.0.0.1:<port> */
  url: string;
  /** Everything the process wrote to stdout and stderr so far. */
  logs(): string;
  kill(signal?: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs` (default 10 s); resolves once it has exited. */
  stop(graceMs?: number): Promise<ServiceExit>;
  waitForExit(): Promise<ServiceExit>;
}

export interface ServiceExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const MAX_LOG_CHARS = 1_000_000;

function exitOf(child: ChildProcess): Promise<ServiceExit> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode });
      return;
    }
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

async function isReady(healthPort: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${healthPort}/readyz`, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

/**
 * Runs the compiled service (`node services/<name>/dist/main.js`, so build first: `npx tsc -b`) with exactly
 * `env` plus PATH, HOME and HEALTH_PORT (and PORT when given): nothing else leaks in from the test's environment.
 * Resolves once /readyz answers 200; rejects with the service's output if it exits or times out first.
 */
export async function startService(
  name: string,
  env: Record<string, string | undefined>,
  options: StartServiceOptions = {},
): Promise<RunningService> {
  const main = path.join(REPO_ROOT, 'services', name, 'dist', 'main.js');
  if (!fs.existsSync(main)) throw new Error(`${main} does not exist: build first (npx tsc -b tsconfig.json)`);
  const healthPort = options.healthPort ?? (await freePort());
  const port = options.port ?? healthPort;
  const child = spawn(process.execPath, [main], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...env,
      HEALTH_PORT: String(healthPort),
      ...(options.port === undefined ? {} : { PORT: String(options.port) }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const append = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
    if (output.length > MAX_LOG_CHARS) output = output.slice(-MAX_LOG_CHARS);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = exitOf(child);
  if (child.pid === undefined) {
    await exited;
    throw new Error(`could not start ${name}:\n${output}`);
  }

  const service: RunningService = {
    name,
    pid: child.pid,
    port,
    healthPort,
    url: `http://127.0.0.1:${port}`,
    logs: () => output,
    kill: (signal = 'SIGKILL') => {
      child.kill(signal);
    },
    stop: async (graceMs = 10_000) => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
    waitForExit: () => exited,
  };

  let exitedEarly: ServiceExit | undefined;
  void exited.then((exit) => {
    exitedEarly = exit;
  });
  let outcome: 'ready' | ServiceExit | Error;
  try {
    // The public port opens just after /readyz answers: a caller that uses it at once must find it listening.
    const answers = async () => (await isReady(healthPort)) && (options.port === undefined || (await portAnswers(options.port)));
    outcome = await waitFor(async () => exitedEarly ?? ((await answers()) ? ('ready' as const) : false), {
      timeoutMs: options.readyTimeoutMs ?? 30_000,
      intervalMs: 100,
      description: `${name} /readyz`,
    });
  } catch (error) {
    outcome = error as Error;
  }
  if (outcome === 'ready') return service;
  let reason: string;
  if (outcome instanceof Error) {
    await service.stop(2_000);
    reason = outcome.message;
  } else {
    reason = `it exited (${outcome.signal ? `signal ${outcome.signal}` : `code ${String(outcome.code)}`}) first`;
  }
  throw new Error(`${name} did not become ready: ${reason}\n--- ${name} output ---\n${output.slice(-5_000)}`);
}
