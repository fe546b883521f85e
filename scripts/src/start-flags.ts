// The Node.js flags an example's own `pnpm start` runs it with (the start
// script in its package.json). The matrix and the throughput case pass them
// too, so every number they print is the example as a reader runs it: one of
// them, --optimize-for-size, costs async-download about a tenth of its
// requests per second at latency 0 and saves it 90 MB at 10,000 sites.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.ts';

export function startFlags(example: string): string[] {
  const file = join(repoRoot, 'examples', example, 'package.json');
  const { scripts } = JSON.parse(readFileSync(file, 'utf8')) as { scripts?: { start?: string } };
  // "node --max-semi-space-size=4 src/main.ts": the words between node and the file.
  const words = (scripts?.start ?? '').trim().split(/\s+/);
  const end = words.indexOf('src/main.ts');
  if (words[0] !== 'node' || end < 0) {
    throw new Error(`${file}: the start script is not "node [flags] src/main.ts"`);
  }
  return words.slice(1, end);
}
