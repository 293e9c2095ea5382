import { INTERNAL_CALL_HEADER } from '@pingback/http';
import type { Request } from 'express';

export interface ApiAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

export type Api = <T = Record<string, unknown>>(path: string, init?: { method?: string; body?: unknown }) => Promise<ApiAnswer<T>>;

/** Each call's own limit: a page waits no longer than the API would make any other client wait. */
const CALL_TIMEOUT_MS = 15_000;

/**
 * The public API as the signed-in user: the dashboard is a client of it like the CLI, calling this same gateway at
 * the address the request came in on, with the session's token as its Bearer credential and the internal-call
 * credential that lets that token count. So a page can do exactly what the API lets the key do, checked by the
 * API's own rules.
 */
export function apiAs(req: Request, sessionToken: string, internalCallCredential: string): Api {
  const address = req.socket.localAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1';
  const base = `http://${address.includes(':') ? `[${address}]` : address}:${req.socket.localPort}`;
  return async <T>(path: string, init: { method?: string; body?: unknown } = {}) => {
    const response = await fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${sessionToken}`, [INTERNAL_CALL_HEADER]: internalCallCredential, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      redirect: 'error',
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
  };
}
