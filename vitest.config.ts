import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// One project per workspace package, named as its package.json names it, so
// `vitest run --project async-download` runs one package's tests and turbo can
// run (and cache) each package's `test` script on its own.
const top = dirname(fileURLToPath(import.meta.url));
const dirs = ['packages', 'examples'].flatMap((group) =>
  readdirSync(join(top, group), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(top, group, entry.name)),
);
dirs.push(join(top, 'scripts'));

const projects = dirs.map((root) => ({
  extends: true as const,
  test: {
    name: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).name as string,
    root,
    include: ['test/**/*.test.ts'],
  },
}));

export default defineConfig({
  test: {
    projects,
    // Many tests here measure speed on a 2-core machine: one file at a time,
    // so a test of threads or processes never competes with its neighbours.
    fileParallelism: false,
    // One worker runs a package's files one after another (each file cleans
    // up what it starts), instead of a fresh worker per file at ~0.3 s each.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
