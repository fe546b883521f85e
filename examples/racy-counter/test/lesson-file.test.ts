import { printedLines } from '@lab/harness/testing';
import { describe, expect, it } from 'vitest';

const LINE =
  /^([\w-]+): counter = (\d+), expected (\d+): (\d+) increments lost in \d+\.\d\d seconds$/;

describe('src/racy-counter.ts run alone', () => {
  it('prints each race as the notes print their count, with its time, and exits 0', async () => {
    const lines = await printedLines(new URL('../src/racy-counter.ts', import.meta.url), LINE);
    expect(lines.map((line) => line?.[0])).toEqual(['threads', 'async-await', 'async-no-await']);
    // [counter, expected, lost] of each race: lost is what the counter lacks.
    const counts = lines.map((line) => (line ?? []).slice(1).map(Number));
    for (const [actual = 0, expected = 0, lost = 0] of counts) {
      expect([expected, lost]).toEqual([4_000_000, expected - actual]);
    }
    expect(counts[1]?.[0]).toBe(1_000_000); // async-await: one task's worth
    expect(counts[2]?.[0]).toBe(4_000_000); // async-no-await: exact
  });
});
