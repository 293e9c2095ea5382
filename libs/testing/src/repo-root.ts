import path from 'node:path';

/** The repository root: this file is libs/testing/src/repo-root.ts (or dist/repo-root.js). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
