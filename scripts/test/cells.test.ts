import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { cells } from '../src/cells.ts';

it("runs every Node example with its own start script's flags, as a reader's pnpm start does", () => {
  const examples = cells({ quick: false, withPython: false }).filter(
    (cell) => cell.language === 'node' && cell.example !== 'throughput',
  );
  expect(examples.length).toBeGreaterThan(5);
  for (const cell of examples) {
    const manifest = join(import.meta.dirname, '../../examples', cell.example, 'package.json');
    const { scripts } = JSON.parse(readFileSync(manifest, 'utf8'));
    expect(['node', ...(cell.nodeFlags ?? []), 'src/main.ts'].join(' ')).toBe(scripts.start);
  }
});
