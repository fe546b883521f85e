// pnpm compare A B: two variants' sources side by side in the terminal, the
// lines they share facing each other, the lines that differ marked. A and B
// are example names (the first lesson file their manifest names) or paths
// to any two files.
//
//   pnpm compare EXAMPLE EXAMPLE
//   pnpm compare FILE FILE | less -R
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { type Option, option, parseOptions, runCli, UsageError } from '@lab/harness';
import { alignLines, type Row } from './align.ts';
import { examples, lessonFile } from './lab.ts';
import { here, repoRoot } from './paths.ts';

/** The usage, naming the examples: a function, since the manifests are read inside runCli. */
const usage = () =>
  `Usage: pnpm compare A B [options]\nA and B: example names or file paths, from where you stand; options before, between or after them.\nThe examples: ${examples()
    .map((e) => e.name)
    .join(', ')}.`;

/** An example name or a path (from the repo root or the folder pnpm was started in). */
export function resolveSource(arg: string): string {
  const concept = lessonFile(arg);
  if (concept) return concept;
  for (const base of [here(), repoRoot]) {
    const path = resolve(base, arg);
    if (!existsSync(path)) continue;
    // A folder is not a source: say which file of it to name, when there is one.
    if (statSync(path).isDirectory()) {
      const inside = lessonFile(basename(path));
      throw new UsageError(
        `'${arg}' is a folder, not a file${inside ? `: name the example (${basename(path)}) or a file in it` : ''}`,
      );
    }
    return path;
  }
  throw new UsageError(`'${arg}' is neither an example name nor a file`);
}

const MARK: Record<Row['kind'], string> = {
  same: ' ',
  indent: '~',
  changed: '|',
  left: '<',
  right: '>',
};
const tabs = (line: string) => line.replace(/\t/g, '  ');
const fit = (text: string, width: number) =>
  text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);

/** Render rows in two columns that fit `width`; with color, differing lines stand out. */
export function renderSideBySide(rows: Row[], width: number, color: boolean): string {
  const column = Math.max(10, Math.floor((width - 3) / 2));
  const paint = (text: string, code: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  return rows
    .map((row) => {
      const left = fit(tabs(row.left ?? ''), column);
      const right = fit(tabs(row.right ?? ''), column).trimEnd();
      const mark = MARK[row.kind];
      if (row.kind === 'same') return `${left} ${mark} ${right}`.trimEnd();
      // The same line, moved in or out: dimmed, since only its indentation differs.
      if (row.kind === 'indent')
        return `${paint(left, '2')} ${mark} ${paint(right, '2')}`.trimEnd();
      return `${paint(left, '31')} ${paint(mark, '1')} ${paint(right, '32')}`.trimEnd();
    })
    .join('\n');
}

export function compareFiles(
  leftPath: string,
  rightPath: string,
  width: number,
  color: boolean,
): string {
  const read = (path: string) => readFileSync(path, 'utf8').replace(/\n$/, '').split('\n');
  const rows = alignLines(read(leftPath), read(rightPath));
  const column = Math.max(10, Math.floor((width - 3) / 2));
  const header = `${fit(basename(leftPath), column)}   ${basename(rightPath)}`;
  const count = (kinds: Row['kind'][]) => rows.filter((r) => kinds.includes(r.kind)).length;
  const moved = count(['indent']);
  return [
    header,
    '-'.repeat(Math.min(width, column * 2 + 3)),
    renderSideBySide(rows, width, color),
    '',
    `${count(['same', 'indent'])} lines alike${moved > 0 ? ` (${moved} only re-indented, marked ~)` : ''}, ${count(['changed', 'left', 'right'])} differ`,
  ].join('\n');
}

/**
 * --width's default depends on where the output goes, so its help names that
 * one default in words; option.int would also print its placeholder 0.
 */
const width: Option<number> = {
  ...option.int('columns to fit', { default: 0, min: 20, max: 1000 }),
  description: 'columns to fit (default: the terminal width, or 160 in a pipe)',
  defaultText: undefined,
};
const spec = {
  width,
  color: option.flag('color the differing lines even in a pipe'),
};

/**
 * The two names, wherever they stand among the options: `compare --width 100
 * a b` and `compare a b --width 100` mean the same. An option that takes a
 * value keeps the word after it; everything else that is not an option is a
 * name. parseOptions then checks the options alone, so an unknown one is
 * still named in one line.
 */
export function splitArgs(args: readonly string[]): { names: string[]; flags: string[] } {
  const takesValue = new Set(
    Object.entries(spec)
      .filter(([, opt]) => opt.type === 'string')
      .map(([key]) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`),
  );
  const names: string[] = [];
  const flags: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') continue;
    if (!arg.startsWith('-') || arg === '-') names.push(arg);
    else {
      flags.push(arg);
      if (takesValue.has(arg) && i + 1 < args.length) flags.push(args[++i]!);
    }
  }
  return { names, flags };
}

if (import.meta.main) {
  runCli('compare', async () => {
    const { names, flags } = splitArgs(process.argv.slice(2));
    const values = parseOptions(flags, spec, usage());
    if (names.length !== 2)
      throw new UsageError(`compare takes two names or files, got ${names.length}`);
    const [a, b] = names.map(resolveSource) as [string, string];
    const columns = values.width || process.stdout.columns || Number(process.env.COLUMNS) || 160;
    console.log(compareFiles(a, b, columns, values.color || Boolean(process.stdout.isTTY)));
    return 0;
  });
}
