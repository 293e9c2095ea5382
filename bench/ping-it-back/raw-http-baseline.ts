import { fork } from 'node:child_process';
import path from 'node:path';
import type { RawHttpCount, RawHttpJob } from './raw-http-sender';

export interface RawHttpResult extends RawHttpCount {
  postsPerSecond: number;
  bodyBytes: number;
  concurrency: number;
}

/**
 * The raw HTTP baseline: how many POSTs per second one Node process gets through to the loopback sink, with
 * nothing of Pingback in between. Runs raw-http-sender.ts as a child process; fork() passes on this process's
 * execArgv, so the child loads TypeScript the same way this runner does (tsx).
 */
export async function measureRawHttp(job: RawHttpJob): Promise<RawHttpResult> {
  const child = fork(path.join(__dirname, 'raw-http-sender.ts'), [], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const count = await new Promise<RawHttpCount>((resolve, reject) => {
    child.once('message', (message: RawHttpCount) => resolve(message));
    child.once('exit', (code) => reject(new Error(`the raw HTTP sender exited (code ${String(code)}) before it answered`)));
    child.send(job);
  });
  return { ...count, postsPerSecond: count.ok / count.seconds, bodyBytes: job.bodyBytes, concurrency: job.concurrency };
}
