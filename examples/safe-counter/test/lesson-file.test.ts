import { printedLines } from '@lab/harness/testing';
import { describe, expect, it } from 'vitest';

const LINE =
  /^([\w-]+): counter = (\d+), expected (\d+): (\d+) increments lost in \d+\.\d\d seconds$/;

describe('src/safe-counter.ts run alone', () => {
  it('prints each fix as the notes print their count, exact, with its time, and exits 0', async () => {
    const lines = await printedLines(new URL('../src/safe-counter.ts', import.meta.url), LINE);
    expect(lines).toEqual([
      ['atomics', '4000000', '4000000', '0'],
      ['lock', '4000000', '4000000', '0'],
      ['message-passing', '4000000', '4000000', '0'],
      ['async-mutex', '4000000', '4000000', '0'],
    ]);
  });
});
