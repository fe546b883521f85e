import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExamples } from '../src/manifest.ts';
import { repoRoot } from '../src/paths.ts';
import { readingOrderTable, readmeReadingOrder, withReadingOrder } from '../src/reading-order.ts';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

describe("the root README's reading order", () => {
  it("is the table the examples' manifests make (pnpm docs:outputs -- README.md writes it)", () => {
    expect(readmeReadingOrder(readme)).toBe(readingOrderTable());
  });

  it('has a row for every example, in its manifest order, and one for the tools', () => {
    const rows = readingOrderTable().split('\n').slice(2);
    const examples = loadExamples();
    expect(rows).toHaveLength(examples.length + 1);
    examples.forEach((e, i) => {
      expect(rows[i]).toContain(`[${e.name}](examples/${e.name}/README.md)`);
      expect(rows[i]).toContain(`\`${e.lab.command}\``);
    });
    expect(rows.at(-1)).toContain('[scripts](scripts/README.md)');
  });

  it('rewrites only the table under its heading', () => {
    const text = '# x\n\n## Reading order\n\n| a |\n| - |\n| b |\n\nafter\n';
    expect(withReadingOrder(text, '| new |')).toBe('# x\n\n## Reading order\n\n| new |\n\nafter\n');
    expect(withReadingOrder(readme, readingOrderTable())).toBe(readme);
  });
});
