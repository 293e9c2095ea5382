/**
 * A dynamic workflow's stage path: dot-separated positive whole numbers (`1`, `2.1`, `3.4.2`), ordered
 * numerically level by level (`2.9` before `2.10`, `2` before `2.1`). A path is also a static workflow's stage
 * number (`3`), so one ordering serves both kinds.
 */
export type StagePath = readonly number[];

/** Levels a path may have at most (`1.2.3.4.5.6.7.8.9.10`). */
export const MAX_PATH_LEVELS = 10;

// No leading zero (`01` and `1` would be two names for one stage) and at most nine digits, so each level stays a
// safe integer and a path can always be written back as it was read.
const LEVEL = /^[1-9][0-9]{0,8}$/;
const MAX_PATH_CHARS = MAX_PATH_LEVELS * 10;

export type ParsedPath = { ok: true; path: StagePath; text: string } | { ok: false; problem: string };

/** Reads a path as a user sent it, or says what is wrong with it in words a user can act on. */
export function parseStagePath(text: string): ParsedPath {
  const problem = 'must be dot-separated whole numbers from 1, such as 1, 2.1 or 3.4.2';
  if (text.length === 0) return { ok: false, problem: 'must not be empty' };
  if (text.length > MAX_PATH_CHARS) return { ok: false, problem };
  const levels = text.split('.');
  if (levels.length > MAX_PATH_LEVELS) return { ok: false, problem: `must have at most ${MAX_PATH_LEVELS} levels` };
  if (!levels.every((level) => LEVEL.test(level))) return { ok: false, problem };
  return { ok: true, path: levels.map(Number), text };
}

/** Negative when `a` comes first: level by level, and a path before its own branches (`2` < `2.1` < `2.10` < `3`). */
export function compareStagePaths(a: StagePath, b: StagePath): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return a.length - b.length;
}

/** The same order for paths as stored (text that parseStagePath accepted). */
export const compareStagePathTexts = (a: string, b: string): number => compareStagePaths(a.split('.').map(Number), b.split('.').map(Number));

export const sortStagePaths = (paths: Iterable<string>): string[] => [...paths].sort(compareStagePathTexts);

/** The highest of some paths in stage order, or undefined when there are none. */
export const highestStagePath = (paths: Iterable<string>): string | undefined => sortStagePaths(paths).at(-1);
