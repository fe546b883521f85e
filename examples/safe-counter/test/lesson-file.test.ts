import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const lesson = fileURLToPath(new URL('../src/safe-counter.ts', import.meta.url));
const LINE =
  /^([\w-]+): counter = (\d+), expected (\d+): (\d+) increments lost in \d+\.\d\d seconds$/;

describe('src/safe-counter.ts run alone', () => {
  it('prints each fix as the notes print their count, exact, with its time, and exits 0', async () => {
    // process.execPath is Node 24 here, which strips the types itself.
    const { stdout } = await promisify(execFile)(process.execPath, [lesson], { timeout: 60_000 });
    const lines = stdout.trim().split('\n');
    expect(lines.map((line) => LINE.exec(line)?.slice(1))).toEqual([
      ['atomics', '4000000', '4000000', '0'],
      ['lock', '4000000', '4000000', '0'],
      ['message-passing', '4000000', '4000000', '0'],
      ['async-mutex', '4000000', '4000000', '0'],
    ]);
  });
});
