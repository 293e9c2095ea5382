export interface JsonReply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/**
 * A JSON client for one base URL: `call('POST', '/path', body, headers)` resolves with the status and parsed body.
 * `defaultHeaders` go on every call (an internal port's credential); a call's own headers override them.
 */
export function jsonClient(base: string, defaultHeaders: Record<string, string> = {}) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<JsonReply> => {
    const response = await fetch(base + path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...defaultHeaders, ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
}

export type JsonClient = ReturnType<typeof jsonClient>;
