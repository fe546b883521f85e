// What readme-excerpts.test.ts checks: every ```ts block in a package's
// README.md must still be in that package's source: one of its .ts files
// (src/ and test/, node_modules left out).
//
// The rules, so a README can quote code and stay honest:
//   - whitespace does not matter: runs of spaces and line breaks count as one
//     space, so an excerpt may wrap where the formatter wrapped, or not;
//   - a line that is only `// ...` (or `...`) marks elided lines: the parts
//     around it must each appear, in that order, in the same file;
//   - everything else must be there word for word, comments included (a
//     comment that moved or was reworded is a stale excerpt);
//   - a block that shows how to call a package rather than quoting it is
//     fenced ```ts usage (any word after ts): it is not checked.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface Excerpt {
  readme: string;
  /** 1-based line of the opening ``` in the README. */
  line: number;
  code: string;
}

const ELISION = /^\s*(\/\/\s*)?(\.\.\.|…)\s*$/;
const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

export function excerptsOf(readme: string, text: string): Excerpt[] {
  const excerpts: Excerpt[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i] ?? '')) continue;
    const start = i;
    const body: string[] = [];
    for (i += 1; i < lines.length && !/^```\s*$/.test(lines[i] ?? ''); i++) body.push(lines[i]!);
    excerpts.push({ readme, line: start + 1, code: body.join('\n') });
  }
  return excerpts;
}

/** The excerpt's pieces between elisions, each squashed. */
export function piecesOf(code: string): string[] {
  const pieces: string[][] = [[]];
  for (const line of code.split('\n')) {
    if (ELISION.test(line)) pieces.push([]);
    else pieces.at(-1)!.push(line);
  }
  return pieces.map((piece) => squash(piece.join('\n'))).filter((piece) => piece !== '');
}

/** Does `source` hold every piece, in order? */
export function holds(source: string, pieces: string[]): boolean {
  const text = squash(source);
  let from = 0;
  for (const piece of pieces) {
    const at = text.indexOf(piece, from);
    if (at < 0) return false;
    from = at + piece.length;
  }
  return true;
}

function tsFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : tsFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every README.md of a package under examples/ and packages/, with its package folder. */
export function readmes(root: string): { readme: string; dir: string }[] {
  return ['examples', 'packages'].flatMap((group) =>
    readdirSync(join(root, group), { withFileTypes: true })
      .filter(
        (entry) => entry.isDirectory() && existsSync(join(root, group, entry.name, 'README.md')),
      )
      .map((entry) => ({
        readme: join(root, group, entry.name, 'README.md'),
        dir: join(root, group, entry.name),
      })),
  );
}

/** The excerpts of one README that no source file of its package holds, described in one line each. */
export function staleExcerpts(root: string, readme: string, dir: string): string[] {
  const sources = tsFiles(dir).map((file) => readFileSync(file, 'utf8'));
  return excerptsOf(readme, readFileSync(readme, 'utf8'))
    .filter((excerpt) => !sources.some((source) => holds(source, piecesOf(excerpt.code))))
    .map((excerpt) => {
      const first = excerpt.code.split('\n').find((line) => line.trim() !== '') ?? '';
      return `${relative(root, readme)}:${excerpt.line} \`${first.trim()}\``;
    });
}
