import { CliError } from './exit-codes';

export interface ApiAnswer<T> {
  status: number;
  body: T;
}

export interface ApiCall {
  method?: string;
  /** Bearer credential: the API key, or none (a channel token is in the path). */
  key?: string;
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  /** Longer than usual for calls that wait on the server (`?wait=`). */
  timeoutMs?: number;
}

/**
 * One call to Pingback's API. Its answer comes back whatever the status (the commands decide what a 404 or 409
 * means); a network failure or an answer that is not JSON ends the command.
 */
export async function callApi<T = Record<string, unknown>>(baseUrl: string, path: string, call: ApiCall = {}): Promise<ApiAnswer<T>> {
  // Joined as text: `new URL(path, base)` would drop a path prefix the base has (Pingback served under /pingback).
  const url = new URL(`${baseUrl}${path}`);
  for (const [name, value] of Object.entries(call.query ?? {})) if (value !== undefined) url.searchParams.set(name, String(value));
  let response: Response;
  try {
    response = await fetch(url, {
      method: call.method ?? (call.body === undefined ? 'GET' : 'POST'),
      headers: { ...(call.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(call.key ? { authorization: `Bearer ${call.key}` } : {}) },
      ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
      signal: AbortSignal.timeout(call.timeoutMs ?? 15_000),
    });
  } catch (err) {
    throw new CliError(`cannot reach Pingback at ${baseUrl}: ${(err as Error).message}`);
  }
  const text = await response.text();
  try {
    const body = text === '' ? {} : (JSON.parse(text) as unknown);
    if (body === null || typeof body !== 'object') throw new Error('not an object');
    return { status: response.status, body: body as T };
  } catch {
    throw new CliError(`Pingback answered ${response.status} with something that is not JSON`);
  }
}

/** What a server said, fit for a terminal: no escape sequences or other control characters. */
// eslint-disable-next-line no-control-regex -- control characters are what it removes
const printable = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');

/** The API's refusal in one line: `409 instance_paused: …`. */
export function refusal(answer: ApiAnswer<unknown>): CliError {
  const body = (answer.body ?? {}) as { error?: unknown; message?: unknown; fields?: { path: string; message: string }[] };
  const fields = Array.isArray(body.fields) ? ` (${body.fields.map((field) => `${field.path || 'body'}: ${field.message}`).join('; ')})` : '';
  return new CliError(printable(`Pingback answered ${answer.status} ${String(body.error ?? '')}: ${String(body.message ?? '')}${fields}`));
}
