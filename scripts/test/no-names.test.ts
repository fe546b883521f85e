import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadExamples } from '../src/manifest.ts';

const src = join(import.meta.dirname, '..', 'src');
const files = readdirSync(src).filter((f) => f.endsWith('.ts'));
/** Every string in a source: quoted, double-quoted, and each template literal's text. */
const strings = (text: string) =>
  [...text.matchAll(/'([^'\n]*)'|"([^"\n]*)"|`([^`]*)`/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');

/**
 * What the lab's tools know of the examples comes from the manifests: no
 * file under scripts/src names an example (a name with a hyphen anywhere,
 * comments too; every name as a string or a path) or a strategy (as a
 * string: a strategy's name is often a plain word, as in "threads share
 * memory"), so adding an example touches its own folder only. manifest.ts
 * is the schema: its field names ('order', 'group') are not strategies.
 */
it('no tool names an example or a strategy: the manifests do', () => {
  const examples = loadExamples();
  const names = examples.map((e) => e.name);
  const strategies = new Set(
    examples.flatMap(({ lab }) => [
      ...lab.strategies,
      ...(lab.python?.strategies ?? []),
      ...(lab.throughput ? [lab.throughput.strategy] : []),
      ...(lab.python?.throughput ? [lab.python.throughput.strategy] : []),
    ]),
  );
  expect(names.length).toBeGreaterThan(5);
  expect(strategies.size).toBeGreaterThan(20);
  const found: string[] = [];
  for (const file of files) {
    const text = readFileSync(join(src, file), 'utf8');
    const literals = strings(text);
    for (const name of names) {
      const word = new RegExp(`(?<![\\w-])${name}(?![\\w-])`);
      if (
        (name.includes('-') && word.test(text)) ||
        literals.includes(name) ||
        text.includes(`examples/${name}`)
      ) {
        found.push(`${file}: ${name}`);
      }
    }
    if (file === 'manifest.ts') continue;
    for (const literal of literals) {
      if (strategies.has(literal)) found.push(`${file}: '${literal}'`);
    }
  }
  expect(found).toEqual([]);
});
