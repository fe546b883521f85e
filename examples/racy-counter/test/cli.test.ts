import { runMain } from '@lab/harness/testing';
import { describe, expect, it } from 'vitest';

const main = new URL('../src/main.ts', import.meta.url);
const run = (args: string[]) => runMain(main, args);

describe('racy-counter on the command line', () => {
  it('prints one record per race with expected, actual and lost', async () => {
    const { code, stdout } = await run(['--json', '--increments', '10000']);
    expect(code).toBe(0);
    const { results } = JSON.parse(stdout);
    expect(results.map((r: { strategy: string }) => r.strategy)).toEqual([
      'threads',
      'async-await-race',
      'async-no-await',
    ]);
    for (const r of results) expect(r.lost).toBe(r.expected - r.actual);
    expect(results[1]).toMatchObject({ expected: 40_000, actual: 10_000, lost: 30_000 });
    expect(results[2]).toMatchObject({ expected: 40_000, actual: 40_000, lost: 0 });
  });

  it('rejects bad input with one line and exit code 2', async () => {
    for (const args of [
      ['--workers', '0'],
      ['--mode', 'x'],
      ['--workers', '64', '--increments', '100000000'],
    ]) {
      const { code, stderr } = await run(args);
      expect(code).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
