import type { ApiAnswer } from './api-client';
import type { LiveLine } from './live-line';

const RETRY_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

/**
 * One poll of a wait that may last hours: while Pingback cannot be reached or answers 5xx (a restart, a 503), the
 * question is still open, so the poll is tried again (1 s, 2 s, 5 s, 10 s, then every 30 s) and the status line says
 * so. Anything else, a refusal included, is the caller's to judge.
 */
export async function pollThroughOutages<T>(poll: () => Promise<ApiAnswer<T>>, line: LiveLine): Promise<ApiAnswer<T>> {
  for (let attempt = 0; ; attempt++) {
    let problem: string;
    try {
      const answer = await poll();
      if (answer.status < 500) return answer;
      problem = `Pingback answered ${answer.status}`;
    } catch (err) {
      problem = (err as Error).message;
    }
    const delay = RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]!;
    line.set(`${problem}; trying again in ${delay / 1000}s`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
