import { callApi, refusal } from '../api-client';
import { requireKey, type Credentials } from '../credentials';
import { EXIT } from '../exit-codes';
import { liveLine } from '../live-line';
import { pollThroughOutages } from '../poll-through-outages';

export interface ApproveOptions {
  timeout: number;
  timeoutAction: 'deny' | 'approve';
  reviewer: string[];
}

interface ApprovalAnswer {
  approval_id: string;
  status: string;
  result: 0 | 1 | null;
  seconds_remaining?: number;
  decided_by?: string | null;
  notes?: string | null;
}

/** How long one poll may be held by the server (`?wait=`, seed 002's approvals allow up to 30 s). */
const HOLD_SECONDS = 25;

/**
 * `pingback approve "context"`: asks the account's reviewers (seed 002's `POST /api/approvals`) and waits for the
 * decision, each poll held open by the server: prints `approved` or `denied` (and who, and their notes) and exits
 * 0 approved, 1 denied (a time-out applies `--timeout-action`).
 */
export async function approve(credentials: Credentials, context: string, options: ApproveOptions, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const key = requireKey(credentials);
  const created = await callApi<ApprovalAnswer>(credentials.url, '/api/approvals', {
    key,
    body: { context, timeout_seconds: options.timeout, timeout_action: options.timeoutAction, ...(options.reviewer.length > 0 ? { reviewers: options.reviewer } : {}) },
  });
  if (created.status !== 201) throw refusal(created);
  const id = created.body.approval_id;
  const line = liveLine(`waiting for a decision on ${id}`);
  line.set('pending');
  try {
    for (;;) {
      const read = await pollThroughOutages(() => callApi<ApprovalAnswer>(credentials.url, `/api/approvals/${encodeURIComponent(id)}`, { key, query: { wait: HOLD_SECONDS }, timeoutMs: (HOLD_SECONDS + 15) * 1000 }), line);
      if (read.status !== 200) throw refusal(read);
      if (read.body.result !== null) {
        line.stop();
        const decided = read.body.result === 1 ? 'approved' : 'denied';
        const by = read.body.decided_by ? ` by ${read.body.decided_by}` : '';
        out.write(`${decided}${by}${read.body.notes ? `: ${read.body.notes}` : ''}\n`);
        return read.body.result === 1 ? EXIT.ok : EXIT.no;
      }
      line.set(`pending, ${read.body.seconds_remaining ?? '?'}s left`);
    }
  } finally {
    line.stop();
  }
}
