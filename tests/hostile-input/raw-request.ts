import type { RawBody } from './hostile-values';

/** A request exactly as given (body bytes and headers untouched): the status and the body, JSON when it parses. */
export async function rawRequest(baseUrl: string, method: string, path: string, raw?: RawBody, headers: Record<string, string> = {}) {
  const response = await fetch(`${baseUrl}${path}`, { method, headers: { ...raw?.headers, ...headers }, body: raw?.body });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // a page or an empty body: compared as text
  }
  return { status: response.status, body };
}
