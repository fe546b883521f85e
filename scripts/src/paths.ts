// Where things are, whichever folder a script is started from (pnpm runs a
// package's scripts inside that package's folder).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const resultsDir = join(repoRoot, 'results');

/** An example's concept file, examples/<name>/src/<name>.ts, or null if there is no such example. */
export function conceptFile(name: string): string | null {
  const file = join(repoRoot, 'examples', name, 'src', `${name}.ts`);
  return existsSync(file) ? file : null;
}

export function mainFile(name: string): string {
  return join(repoRoot, 'examples', name, 'src', 'main.ts');
}
