import { callApi, refusal } from '../api-client';
import { requireKey, type Credentials } from '../credentials';
import { EXIT } from '../exit-codes';

export interface TailOptions {
  /** How many of the newest messages to show and follow. */
  lines: number;
  interval: number;
  /** Print what there is now and exit. */
  once?: boolean;
}

interface MessageLine {
  id: string;
  title: string;
  status: string;
}

interface Delivery {
  id: string;
  type: string;
  recipient: string | null;
  url: string | null;
  status: string;
  attempts: number;
  last_error: string | null;
  delivered_at: string | null;
  attempt_log?: { at: string }[];
}

/**
 * `pingback tail`: the account's newest messages and each of their deliveries, one line per delivery, and a new
 * line whenever a delivery's status or attempt count changes (polling `GET /api/messages` and
 * `GET /api/messages/{id}` of each message that may still change), until interrupted.
 */
export async function tail(credentials: Credentials, options: TailOptions, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const key = requireKey(credentials);
  const shown = new Map<string, string>();
  // A message that is no longer waiting (answered or expired) and whose every delivery is delivered cannot change
  // again (no escalation round is to come): it is not read again.
  const done = new Set<string>();
  for (;;) {
    const listed = await callApi<{ data: MessageLine[] }>(credentials.url, '/api/messages', { key, query: { limit: options.lines } });
    if (listed.status !== 200) throw refusal(listed);
    const listedIds = new Set(listed.body.data.map((message) => message.id));
    for (const id of done) if (!listedIds.has(id)) done.delete(id);
    for (const message of [...listed.body.data].reverse()) {
      if (done.has(message.id)) continue;
      const read = await callApi<{ deliveries?: Delivery[]; delivery_count?: number }>(credentials.url, `/api/messages/${encodeURIComponent(message.id)}`, { key });
      if (read.status !== 200) continue;
      const deliveries = read.body.deliveries ?? [];
      const settled = message.status !== 'pending' && read.body.delivery_count === deliveries.length && deliveries.every((delivery) => delivery.status === 'delivered');
      if (settled) done.add(message.id);
      for (const delivery of deliveries) {
        const state = `${delivery.status}/${delivery.attempts}`;
        if (shown.get(delivery.id) === state) continue;
        shown.set(delivery.id, state);
        out.write(`${happenedAt(delivery)}  ${message.id}  ${JSON.stringify(message.title)}  ${where(delivery)}  ${describe(delivery)}\n`);
      }
    }
    if (options.once) return EXIT.ok;
    await new Promise((resolve) => setTimeout(resolve, options.interval * 1000));
  }
}

/** When the delivery last changed: its delivery, else its last attempt, else now (nothing tried yet). */
const happenedAt = (delivery: Delivery) => delivery.delivered_at ?? delivery.attempt_log?.at(-1)?.at ?? new Date().toISOString();

const where = (delivery: Delivery) => `${delivery.type}${delivery.recipient ? ` ${delivery.recipient}` : delivery.url ? ` ${new URL(delivery.url).host}` : ''}`;

const describe = (delivery: Delivery) =>
  `${delivery.status} (${delivery.attempts} ${delivery.attempts === 1 ? 'attempt' : 'attempts'})${delivery.last_error ? `: ${delivery.last_error}` : ''}`;
