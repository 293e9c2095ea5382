import type { Request } from 'express';

/**
 * The query of a seed 002 request as the seed's recipes mean it. Its GitHub Actions steps append
 * `?stagePath=1&start=yes` to a URL that already holds `?key=K`, so the key arrives as `K?stagePath=1` and
 * `start=yes` beside it: a key holding `?` is split there and the rest read as parameters (parameters given the
 * usual way win). Returns the key apart and the parameters without it.
 */
export function seed002Query(req: Request): { key: string | string[] | undefined; params: URLSearchParams } {
  const raw = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '';
  const params = new URLSearchParams(raw);
  const keys = params.getAll('key');
  params.delete('key');
  if (keys.length !== 1) return { key: keys.length === 0 ? undefined : keys, params };
  const [key, tail] = splitAtQuestionMark(keys[0]!);
  if (tail !== undefined) {
    for (const [name, value] of new URLSearchParams(tail)) if (!params.has(name)) params.append(name, value);
  }
  return { key, params };
}

function splitAtQuestionMark(value: string): [string, string | undefined] {
  const at = value.indexOf('?');
  return at < 0 ? [value, undefined] : [value.slice(0, at), value.slice(at + 1)];
}
