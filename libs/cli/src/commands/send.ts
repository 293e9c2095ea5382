import { callApi, refusal } from '../api-client';
import { requireToken, type Credentials } from '../credentials';
import { CliError, EXIT } from '../exit-codes';
import { liveLine } from '../live-line';
import { pollThroughOutages } from '../poll-through-outages';

export interface SendOptions {
  title: string;
  body?: string;
  button: string[];
  priority?: string;
  expiresIn?: number;
  wait?: boolean;
  /** Stop waiting after this many seconds (the answer window may be longer). */
  timeout?: number;
  pollInterval: number;
}

interface PollAnswer {
  status: 'pending' | 'submitted' | 'expired' | 'already_read' | 'failed';
  result?: { triggered_by: string; responses: Record<string, unknown> };
}

/** `--button deploy:Deploy` → a button whose answer is `deploy`, labelled Deploy (the label defaults to the key). */
export function parseButton(spec: string): { type: 'button'; key: string; label: string } {
  const at = spec.indexOf(':');
  const key = (at < 0 ? spec : spec.slice(0, at)).trim();
  const label = (at < 0 ? spec : spec.slice(at + 1)).trim();
  if (!key || !label) throw new CliError(`--button ${spec}: write it as key:Label, e.g. deploy:Deploy`);
  return { type: 'button', key, label };
}

/**
 * `pingback send`: sends a notification on the channel (seed 000's `POST /v1/send/{token}`) and prints its id; with
 * `--wait`, polls for the answer, prints the chosen key on stdout and exits 0, or exits 1 when no answer comes
 * (expired, read elsewhere, failed, or `--timeout` passed).
 */
export async function send(credentials: Credentials, options: SendOptions, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const token = requireToken(credentials);
  if (options.wait && options.button.length === 0) throw new CliError('--wait needs at least one --button: a message without one cannot be answered');
  const path = `/v1/send/${encodeURIComponent(token)}`;
  const sent = await callApi<{ ok?: boolean; id?: string }>(credentials.url, path, {
    body: {
      title: options.title,
      ...(options.body !== undefined ? { body: options.body } : {}),
      ...(options.button.length > 0 ? { actions: options.button.map(parseButton) } : {}),
      ...(options.priority !== undefined ? { priority: options.priority } : {}),
      ...(options.expiresIn !== undefined ? { expires_in: options.expiresIn } : {}),
    },
  });
  if (sent.status !== 200 || !sent.body.id) throw refusal(sent);
  const messageId = sent.body.id;
  if (!options.wait) {
    out.write(`${messageId}\n`);
    return EXIT.ok;
  }
  return waitForAnswer(credentials.url, token, messageId, options, out);
}

async function waitForAnswer(url: string, token: string, messageId: string, options: SendOptions, out: NodeJS.WritableStream): Promise<number> {
  const line = liveLine(`waiting for an answer to ${messageId}`);
  const giveUpAt = options.timeout !== undefined ? Date.now() + options.timeout * 1000 : Infinity;
  try {
    for (;;) {
      const polled = await pollThroughOutages(() => callApi<PollAnswer>(url, `/v1/callback/${encodeURIComponent(token)}/${encodeURIComponent(messageId)}`), line);
      if (polled.status !== 200) throw refusal(polled);
      line.set(polled.body.status);
      switch (polled.body.status) {
        case 'submitted':
          line.stop();
          out.write(`${polled.body.result?.triggered_by ?? ''}\n`);
          return EXIT.ok;
        case 'pending':
          break;
        default:
          line.stop();
          process.stderr.write(`no answer: ${polled.body.status}\n`);
          return EXIT.no;
      }
      if (Date.now() >= giveUpAt) {
        line.stop();
        process.stderr.write(`no answer within ${options.timeout}s\n`);
        return EXIT.no;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(options.pollInterval * 1000, giveUpAt - Date.now())));
    }
  } finally {
    line.stop();
  }
}
