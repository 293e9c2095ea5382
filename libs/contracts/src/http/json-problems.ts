import { unstorableTextProblem } from './text';

export interface JsonProblem {
  path: (string | number)[];
  message: string;
}

export interface JsonCheckOptions {
  /** Containers (objects, arrays) nested deeper than this are refused; the outermost one is level 1. */
  maxDepth: number;
  /** Stop after this many problems: a hostile body can hold thousands, one answer needs only a few. */
  maxProblems?: number;
}

// JSON.parse turns {"__proto__": …} into an own key, but assigning it to another object (as zod's record does)
// sets that object's prototype instead: the key would vanish from what is stored. Refused rather than lost.
const FORBIDDEN_KEY = '__proto__';

/**
 * What in a parsed JSON value cannot be accepted as it is: nesting deeper than `maxDepth`, keys or strings that
 * Postgres cannot store, `__proto__` keys, numbers JSON.parse made infinite (`1e400`). Walks with its own stack,
 * never by recursion: JSON.parse copes with thousands of levels, a recursive walk or JSON.stringify does not.
 */
export function findJsonProblems(value: unknown, options: JsonCheckOptions): JsonProblem[] {
  const maxProblems = options.maxProblems ?? 20;
  const problems: JsonProblem[] = [];
  const stack: { value: unknown; path: (string | number)[]; depth: number }[] = [{ value, path: [], depth: 0 }];
  while (stack.length > 0 && problems.length < maxProblems) {
    const item = stack.pop()!;
    const key = item.path.at(-1);
    const problem = (typeof key === 'string' ? keyProblem(key) : undefined) ?? scalarProblem(item.value);
    if (problem) problems.push({ path: item.path, message: problem });
    if (problem || typeof item.value !== 'object' || item.value === null) continue;
    const depth = item.depth + 1;
    if (depth > options.maxDepth) {
      problems.push({ path: item.path, message: `must not be nested more than ${options.maxDepth} levels deep` });
      continue;
    }
    const children: [string | number, unknown][] = Array.isArray(item.value) ? item.value.map((v, i) => [i, v]) : Object.entries(item.value);
    for (let i = children.length - 1; i >= 0; i -= 1) {
      const [childKey, child] = children[i]!;
      stack.push({ value: child, path: [...item.path, childKey], depth });
    }
  }
  return problems;
}

function scalarProblem(value: unknown): string | undefined {
  if (typeof value === 'string') return unstorableTextProblem(value);
  if (typeof value === 'number' && !Number.isFinite(value)) return 'must be a finite number';
  return undefined;
}

function keyProblem(key: string): string | undefined {
  if (key === FORBIDDEN_KEY) return `the key "${FORBIDDEN_KEY}" is not allowed`;
  const problem = unstorableTextProblem(key);
  return problem && `key ${problem}`;
}
