import http from 'node:http';

export interface ScheduledSend {
  /** When the send was due (performance.now()): latencies count from here, not from when it went out. */
  dueAt: number;
  /** When it went out; later than dueAt only when this process itself lagged (its own CPU). */
  sentAt?: number;
  /** When the answer came back. */
  answeredAt?: number;
  status?: number;
  messageId?: string;
  error?: string;
}

export interface OpenLoopOptions {
  url: string;
  body: unknown;
  ratePerSecond: number;
  seconds: number;
  /** After the last due time, how long to wait for answers; sends still unanswered then are abandoned. */
  answerDeadlineSeconds: number;
}

/** How often the pacer wakes up; every send due since the last tick goes out, each keeping its own due time. */
const TICK_MS = 2;
export const ABANDONED = 'no answer before the deadline';

function post(agent: http.Agent, url: URL, payload: string, send: ScheduledSend, pending: Set<http.ClientRequest>): Promise<void> {
  send.sentAt = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        const chunks: Buffer[] = [];
        // An abandoned request's response ends in an error; its 'close' below settles the send.
        res.on('error', () => undefined);
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          pending.delete(req);
          send.answeredAt = performance.now();
          send.status = res.statusCode;
          try {
            const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id?: unknown; error?: unknown };
            if (typeof body.id === 'string') send.messageId = body.id;
            else if (typeof body.error === 'string') send.error = body.error;
          } catch {
            send.error = 'unreadable answer';
          }
          resolve();
        });
      },
    );
    pending.add(req);
    req.on('error', (error) => {
      pending.delete(req);
      send.error ??= error.message;
      resolve();
    });
    req.on('close', () => {
      pending.delete(req);
      if (send.status === undefined) send.error ??= ABANDONED;
      resolve();
    });
    req.end(payload);
  });
}

/**
 * Sends at a fixed rate whatever the server does (open loop): send n is due at start + n / rate. A slow server
 * therefore cannot slow the sender down and hide its own latency (coordinated omission); when it falls behind,
 * requests queue here and the time they wait counts. Resolves when every send has been answered or abandoned.
 */
export async function sendOpenLoop(options: OpenLoopOptions): Promise<{ sends: ScheduledSend[]; lastDueAt: number }> {
  const url = new URL(options.url);
  const payload = JSON.stringify(options.body);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const total = Math.max(1, Math.round(options.ratePerSecond * options.seconds));
  const intervalMs = 1000 / options.ratePerSecond;
  const sends: ScheduledSend[] = [];
  const inFlight: Promise<void>[] = [];
  const pending = new Set<http.ClientRequest>();
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now();
      while (sends.length < total && start + sends.length * intervalMs <= now) {
        const send: ScheduledSend = { dueAt: start + sends.length * intervalMs };
        sends.push(send);
        inFlight.push(post(agent, url, payload, send, pending));
      }
      if (sends.length < total) setTimeout(tick, TICK_MS);
      else resolve();
    };
    tick();
  });
  const lastDueAt = sends[sends.length - 1]!.dueAt;
  const giveUp = setTimeout(
    () => {
      for (const req of pending) req.destroy(new Error(ABANDONED));
    },
    Math.max(0, lastDueAt + options.answerDeadlineSeconds * 1000 - performance.now()),
  );
  await Promise.all(inFlight);
  clearTimeout(giveUp);
  agent.destroy();
  return { sends, lastDueAt };
}
