import type { z } from 'zod';

/**
 * One synchronous question a service answers on its internal port: the express pattern it serves, and the
 * schemas of what goes in and comes back. The owner serves `pattern`, callers build paths with `pathOf`, and the
 * internal client parses every reply with `response`, so both sides read one declaration.
 */
export interface InternalRoute<TResponse, TRequest = never> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  pattern: `/internal/${string}`;
  request?: z.ZodType<TRequest>;
  response: z.ZodType<TResponse>;
}

/** `/internal/links/:token` with `{ token }` → `/internal/links/<token, URL-encoded>`, plus any query. */
export function pathOf(route: { pattern: string }, params: Record<string, string> = {}, query: Record<string, string> = {}): string {
  const path = route.pattern.replace(/:([A-Za-z]+)/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${route.pattern}: no value for :${name}`);
    return encodeURIComponent(value);
  });
  const search = new URLSearchParams(query).toString();
  return search ? `${path}?${search}` : path;
}
