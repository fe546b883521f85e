// Where things are, whichever folder a script is started from (pnpm runs a
// package's scripts inside that package's folder).
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
/** Where the matrix and the report go by default: results/, or LAB_RESULTS_DIR when set (the tests use it). */
export const resultsDir = process.env.LAB_RESULTS_DIR
  ? resolve(process.env.LAB_RESULTS_DIR)
  : join(repoRoot, 'results');

/**
 * The folder the reader ran the command from. pnpm runs a package's script
 * inside the package's folder (scripts/), and says where it was started in
 * INIT_CWD; a path the reader types, or one printed back, is relative to that.
 */
export function here(): string {
  return process.env.INIT_CWD ?? process.cwd();
}

/** A path the reader typed, resolved from where they stand. */
export function fromHere(path: string): string {
  return resolve(here(), path);
}

/** A path as the reader should see it: relative to where they stand when it is below it. */
export function shown(path: string): string {
  const rel = relative(here(), path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
