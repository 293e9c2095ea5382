import { fork } from 'node:child_process';
import path from 'node:path';

export interface BaselineProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts a baseline server (by default baseline-server.ts; it sends its port over IPC once it listens) as a child
 * process in production mode. fork() passes on this process's execArgv, so the child loads TypeScript the same way
 * this runner does (tsx).
 */
export async function startBaselineProcess(script = path.join(__dirname, 'baseline-server.ts')): Promise<BaselineProcess> {
  const child = fork(script, [], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve(message.port));
    child.once('exit', (code) => reject(new Error(`the baseline server exited (code ${String(code)}) before listening`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    async stop() {
      child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
