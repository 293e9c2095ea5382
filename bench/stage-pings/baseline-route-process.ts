import { fork } from 'node:child_process';
import path from 'node:path';
import type { BaselineProcess } from '../ping-it-back/baseline-process';

/**
 * Starts baseline-route.ts as a child process in production mode (the ping-it-back bench's baseline serves a send,
 * not a GET). fork() passes on this process's execArgv, so the child loads TypeScript as this runner does (tsx).
 */
export async function startBaselineRoute(): Promise<BaselineProcess> {
  const child = fork(path.join(__dirname, 'baseline-route.ts'), [], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve(message.port));
    void exited.then(() => reject(new Error('the baseline route exited before listening')));
  });
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
