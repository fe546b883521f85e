// The Node.js flags a package's own `pnpm start` runs it with (the start
// script in its package.json). The matrix, the throughput case and
// async-download's versus-asyncio pass them too, so every number they print
// is the example as a reader runs it: a V8 flag can move an example's rate
// by a tenth and its memory by 90 MB.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The flags between `node` and `src/main.ts` in the start script of the package in `folder`. */
export function startFlags(folder: string | URL): string[] {
  const file = join(typeof folder === 'string' ? folder : fileURLToPath(folder), 'package.json');
  const { scripts } = JSON.parse(readFileSync(file, 'utf8')) as { scripts?: { start?: string } };
  // "node --max-semi-space-size=4 src/main.ts": the words between node and the file.
  const words = (scripts?.start ?? '').trim().split(/\s+/);
  const end = words.indexOf('src/main.ts');
  if (words[0] !== 'node' || end < 0) {
    throw new Error(`${file}: the start script is not "node [flags] src/main.ts"`);
  }
  return words.slice(1, end);
}
