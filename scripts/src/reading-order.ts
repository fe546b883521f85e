// The root README's reading order, as the examples' manifests say it: one
// row an example (concept, package, the lesson in one line, the command),
// in the order their `lab.order` gives, then the tools' own row.
// `pnpm docs:outputs` writes it into README.md under "## Reading order";
// reading-order.test.ts fails when the README's table is not this one.
//
//   node scripts/src/reading-order.ts           print the table
//   node scripts/src/reading-order.ts --write   rewrite README.md's table
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { runCli } from '@lab/harness';
import type { Example } from './manifest.ts';
import { loadExamples } from './manifest.ts';
import { repoRoot } from './paths.ts';

const HEADER = ['concept', 'package', 'the lesson in one line', 'run it'];

/** The row for the tools themselves, which are no example. */
const TOOLS = [
  'all of it, on your machine',
  '[scripts](scripts/README.md)',
  'the whole matrix, side-by-side sources, a report to look at',
  '`pnpm matrix` (then `pnpm report`), `pnpm compare A B`',
];

/** A Markdown table with its columns padded, as the formatter leaves one. */
export function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function readingOrderTable(examples: Example[] = loadExamples()): string {
  const rows = examples.map(({ name, dir, lab }) => [
    lab.concept,
    `[${name}](examples/${basename(dir)}/README.md)`,
    lab.lesson,
    `\`${lab.command}\``,
  ]);
  return markdownTable(HEADER, [...rows, TOOLS]);
}

const HEADING = '## Reading order';

/** The README's text with the table under "## Reading order" replaced by `table`. */
export function withReadingOrder(readme: string, table: string): string {
  const lines = readme.split('\n');
  const heading = lines.indexOf(HEADING);
  const first = lines.findIndex((l, i) => i > heading && l.startsWith('|'));
  if (heading < 0 || first < 0) throw new Error(`README.md has no table under "${HEADING}"`);
  let end = first;
  while (lines[end]?.startsWith('|')) end += 1;
  lines.splice(first, end - first, ...table.split('\n'));
  return lines.join('\n');
}

/** The table under "## Reading order" in the README's text. */
export function readmeReadingOrder(readme: string): string {
  const lines = readme.split('\n');
  const heading = lines.indexOf(HEADING);
  const first = lines.findIndex((l, i) => i > heading && l.startsWith('|'));
  let end = first;
  while (end >= 0 && lines[end]?.startsWith('|')) end += 1;
  return heading < 0 || first < 0 ? '' : lines.slice(first, end).join('\n');
}

/** Rewrite README.md's reading order from the manifests; returns whether it changed. */
export function writeReadingOrder(file = join(repoRoot, 'README.md')): boolean {
  const text = readFileSync(file, 'utf8');
  const next = withReadingOrder(text, readingOrderTable());
  if (next !== text) writeFileSync(file, next);
  return next !== text;
}

if (import.meta.main) {
  runCli('reading-order', async () => {
    if (process.argv.includes('--write')) {
      console.log(
        writeReadingOrder()
          ? 'README.md: reading order rewritten from the manifests'
          : 'README.md: reading order already as the manifests say',
      );
    } else console.log(readingOrderTable());
    return 0;
  });
}
