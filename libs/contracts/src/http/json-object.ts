import { z } from 'zod';
import { findJsonProblems } from './json-problems';

export interface JsonObjectOptions {
  maxDepth: number;
  /** The most bytes the object may take as JSON, when it has a budget of its own (`data`). */
  maxBytes?: number;
}

/**
 * An object taken from a JSON body, checked as it arrived and only then parsed by `schema`: zod copies an object
 * key by key, and a `__proto__` key would vanish in the copy (what is stored would differ from what was sent).
 * Too deep, NUL or unpaired surrogates anywhere, keys included, `__proto__` keys, infinite numbers: refused.
 */
export function checkedJsonObject<T extends z.ZodType>(schema: T, options: JsonObjectOptions) {
  return z
    .unknown()
    .check((ctx) => {
      const problems = findJsonProblems(ctx.value, { maxDepth: options.maxDepth });
      for (const problem of problems) ctx.issues.push({ code: 'custom', path: problem.path, message: problem.message, input: ctx.value });
      // Only once the depth is known to be bounded: JSON.stringify recurses.
      if (problems.length === 0 && options.maxBytes !== undefined && Buffer.byteLength(JSON.stringify(ctx.value) ?? '') > options.maxBytes) {
        ctx.issues.push({ code: 'custom', message: `must be at most ${options.maxBytes} bytes as JSON`, input: ctx.value });
      }
    })
    .pipe(schema)
    .meta({ type: 'object' });
}
