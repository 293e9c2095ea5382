import { AppError } from '@pingback/http';
import type { RequestHandler } from 'express';
import { match } from 'path-to-regexp';
import type { RouteFamily } from './route-family';

/**
 * Runs after every family: a path that some family serves, asked with a method none serves, gets
 * `405 method_not_allowed` with `Allow` instead of the 404 of an unknown path. Paths are matched the way
 * express matches them (path-to-regexp, case-insensitive, trailing slash allowed).
 */
export function methodNotAllowed(families: readonly RouteFamily[]): RequestHandler {
  const byPath = new Map<string, Set<string>>();
  for (const route of families.flatMap((family) => family.routes)) {
    const methods = byPath.get(route.path) ?? new Set<string>();
    methods.add(route.method.toUpperCase());
    if (route.method === 'get' && !route.noHead) methods.add('HEAD');
    byPath.set(route.path, methods);
  }
  const matchers = [...byPath].map(([path, methods]) => ({ matches: match(path, { decode: false }), methods }));
  return (req, _res, next) => {
    const allowed = new Set(matchers.filter((m) => m.matches(req.path)).flatMap((m) => [...m.methods]));
    if (allowed.size === 0 || allowed.has(req.method)) return next();
    const allow = [...allowed].sort().join(', ');
    next(new AppError('method_not_allowed', `${req.method} is not allowed here; use ${allow}`, { allow: [...allowed].sort() }, { Allow: allow }));
  };
}
