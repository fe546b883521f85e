import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const lesson = fileURLToPath(new URL('../src/racy-counter.ts', import.meta.url));
const LINE =
  /^([\w-]+): counter = (\d+), expected (\d+): (\d+) increments lost in \d+\.\d\d seconds$/;

describe('src/racy-counter.ts run alone', () => {
  it('prints each race as the notes print their count, with its time, and exits 0', async () => {
    // process.execPath is Node 24 here, which strips the types itself.
    const { stdout } = await promisify(execFile)(process.execPath, [lesson], { timeout: 60_000 });
    const lines = stdout.trim().split('\n');
    expect(lines.map((line) => LINE.exec(line)?.[1])).toEqual([
      'threads',
      'async-await',
      'async-no-await',
    ]);
    // [counter, expected, lost] of each race: lost is what the counter lacks.
    const counts = lines.map((line) => (LINE.exec(line) ?? []).slice(2).map(Number));
    for (const [actual = 0, expected = 0, lost = 0] of counts) {
      expect([expected, lost]).toEqual([4_000_000, expected - actual]);
    }
    expect(counts[1]?.[0]).toBe(1_000_000); // async-await: one task's worth
    expect(counts[2]?.[0]).toBe(4_000_000); // async-no-await: exact
  });
});
