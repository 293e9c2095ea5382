import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

export interface RedisServerOptions {
  /** false: no RDB snapshots and no AOF, so a restart loses every key (`--save '' --appendonly no`). */
  persistence: boolean;
}

export interface RedisServer {
  /** redis://127.0.0.1:<port>, the same across restarts. */
  url: string;
  port: number;
  /** Stops the server (SIGTERM) and starts it again on the same port and directory. */
  restart(): Promise<void>;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const finish = (ready: boolean): void => {
      socket.destroy();
      resolve(ready);
    };
    socket.setTimeout(1_000, () => finish(false));
    socket.on('error', () => finish(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => finish(data.toString().startsWith('+PONG')));
  });
}

function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * A redis-server of its own (Debian's binary) on a free port with its own directory, for tests that restart or
 * lose Redis without touching the shared one.
 */
export async function startRedisServer(options: RedisServerOptions): Promise<RedisServer> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingback-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--daemonize', 'no'];
  args.push(...(options.persistence ? ['--appendonly', 'yes'] : ['--save', '', '--appendonly', 'no']));
  let child: ChildProcess | undefined;
  let output = '';

  const start = async (): Promise<void> => {
    const started = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let ended = false;
    const record = (text: string): void => {
      output = (output + text).slice(-20_000);
    };
    started.stdout?.on('data', (chunk: Buffer) => record(chunk.toString()));
    started.stderr?.on('data', (chunk: Buffer) => record(chunk.toString()));
    started.on('error', (error) => {
      ended = true;
      record(`\n${error.message}`);
    });
    started.on('exit', () => (ended = true));
    child = started;
    let outcome: 'ready' | 'ended' | Error;
    try {
      outcome = await waitFor(async () => (ended ? ('ended' as const) : (await answersPing(port)) && ('ready' as const)), {
        timeoutMs: 10_000,
        description: `redis-server on port ${port}`,
      });
    } catch (error) {
      outcome = error as Error;
    }
    if (outcome === 'ready') return;
    started.kill('SIGKILL');
    child = undefined;
    const reason = outcome === 'ended' ? 'redis-server ended before it answered PING' : outcome.message;
    throw new Error(`${reason}\n--- redis-server output ---\n${output}`);
  };
  const halt = async (): Promise<void> => {
    if (!child) return;
    const running = child;
    child = undefined;
    running.kill('SIGTERM');
    await exitOf(running);
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    restart: async () => {
      await halt();
      await start();
    },
    stop: async () => {
      await halt();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
