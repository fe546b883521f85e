import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../src/paths.ts';
import { excerptsOf, holds, piecesOf, readmes, staleExcerpts } from './readme-excerpts.ts';

// Every ```ts excerpt in a package README must still be in its package's
// src/ (the rules are in readme-excerpts.ts: whitespace is free, `// ...`
// elides). A failure names the README, the excerpt's line and its first line.
describe.each(readmes(repoRoot).map(({ readme, dir }) => [relative(repoRoot, readme), dir]))(
  '%s',
  (readme, dir) => {
    it('quotes only code that is still in the source', () => {
      expect(staleExcerpts(repoRoot, join(repoRoot, readme), dir)).toEqual([]);
    });
  },
);

describe('the rules', () => {
  const source = `export function f() {\n  const a = 1; // one\n  const b = 2;\n  return a + b;\n}\n`;
  it('ignores how the whitespace falls', () => {
    expect(holds(source, piecesOf('const a = 1;   // one\nconst b =\n  2;'))).toBe(true);
  });

  it('lets `// ...` stand for lines left out, keeping the order', () => {
    expect(holds(source, piecesOf('export function f() {\n  // ...\n  return a + b;'))).toBe(true);
    expect(holds(source, piecesOf('return a + b;\n// ...\nconst a = 1;'))).toBe(false);
  });

  it('counts a changed comment as stale', () => {
    expect(holds(source, piecesOf('const a = 1; // first'))).toBe(false);
  });

  it('reads only ts fences', () => {
    const text = '```sh\nls\n```\n\n```ts\nconst a = 1;\n```\n';
    expect(excerptsOf('R.md', text)).toEqual([{ readme: 'R.md', line: 5, code: 'const a = 1;' }]);
  });
});
