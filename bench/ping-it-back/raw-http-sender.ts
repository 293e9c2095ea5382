/**
 * The raw HTTP baseline's sender, run as its own process (see raw-http-baseline.ts) as webhook-deliverer is:
 * POSTs of a given body size to the loopback sink, closed loop, `concurrency` at a time over keep-alive
 * sockets, for `seconds` (or until `posts` were sent, when that comes first). Each POST carries its own message_id
 * and webhook-id, so the sink does the same work per POST as for a delivered webhook. It answers its parent with
 * what it counted and exits.
 */
import http from 'node:http';

export interface RawHttpJob {
  url: string;
  bodyBytes: number;
  concurrency: number;
  seconds: number;
  /** Stop after this many POSTs (bench/fan-out posts as many as its fan-out delivers). */
  posts?: number;
}

export interface RawHttpCount {
  /** POSTs answered 2xx. */
  ok: number;
  otherStatuses: Record<string, number>;
  errors: number;
  seconds: number;
}

function bodyOf(index: number, bodyBytes: number): string {
  const bare = JSON.stringify({ event: 'notification', message_id: `raw_${String(index).padStart(10, '0')}`, padding: '' });
  return bare.replace('"padding":""', `"padding":"${'x'.repeat(Math.max(0, bodyBytes - bare.length))}"`);
}

async function run(job: RawHttpJob): Promise<RawHttpCount> {
  const url = new URL(job.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });
  const count: RawHttpCount = { ok: 0, otherStatuses: {}, errors: 0, seconds: 0 };
  let next = 0;
  const start = performance.now();
  const deadline = start + job.seconds * 1000;
  const post = () =>
    new Promise<void>((resolve) => {
      const index = next++;
      const body = bodyOf(index, job.bodyBytes);
      const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'webhook-id': `raw_${index}` };
      const req = http.request(url, { method: 'POST', agent, headers }, (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) count.ok += 1;
          else count.otherStatuses[status] = (count.otherStatuses[status] ?? 0) + 1;
          resolve();
        });
      });
      req.on('error', () => {
        count.errors += 1;
        resolve();
      });
      req.end(body);
    });
  const posts = job.posts ?? Infinity;
  const worker = async () => {
    while (next < posts && performance.now() < deadline) await post();
  };
  await Promise.all(Array.from({ length: job.concurrency }, worker));
  count.seconds = (performance.now() - start) / 1000;
  agent.destroy();
  return count;
}

process.once('message', (job: RawHttpJob) => {
  void run(job).then((count) => process.send?.(count, () => process.exit(0)));
});
