import { interruptAfter, rejectsBadInput, runJson } from '@lab/harness/testing';
import { describe, expect, it } from 'vitest';

const main = new URL('../src/main.ts', import.meta.url);

describe('racy-counter on the command line', () => {
  it('prints one JSON record per race with expected, actual and lost', async () => {
    const { results } = await runJson(main, ['--increments', '10000']);
    expect(results.map((r) => r.strategy)).toEqual(['threads', 'async-await', 'async-no-await']);
    for (const r of results) {
      expect(r).toMatchObject({ items: 40_000, expected: 40_000, workers: 4 });
      expect(r.lost).toBe(40_000 - (r.actual as number));
      expect(r.lostShare).toBeCloseTo((r.lost as number) / 40_000, 3);
      expect(r.opsPerSec).toBeGreaterThan(0);
    }
    expect(results[1]).toMatchObject({ actual: 10_000, lost: 30_000, lostShare: 0.75 });
    expect(results[2]).toMatchObject({ actual: 40_000, lost: 0 });
  });

  it('runs only the race --strategy names', async () => {
    const sizes = ['--workers', '3', '--increments', '7'];
    const ran = async (strategy: string) => {
      const { results } = await runJson(main, ['--strategy', strategy, ...sizes]);
      return results.map((r) => [r.strategy, r.actual]);
    };
    expect(await ran('async-await')).toEqual([['async-await', 7]]);
    expect(await ran('async-no-await')).toEqual([['async-no-await', 21]]);
  });

  // The options it shares with safe-counter are checked in @lab/counter; here, its own and one shared.
  rejectsBadInput(main, [
    [['--strategy', 'x'], '--strategy'],
    [['--fast'], '--fast'],
    [['--workers', '16', '--increments', '2000000'], '--increments'],
  ]);

  it('stops on Ctrl-C, prints what it finished, and exits 130', async () => {
    // The largest count, 16 x 1.25 million, takes about 2 s; Ctrl-C comes once the heading is out.
    const args = ['--strategy', 'threads', '--workers', '16', '--increments', '1250000'];
    const { code, stdout, stderr } = await interruptAfter(main, args, 'increments of one counter');
    expect(code).toBe(130);
    expect(stdout).toContain('interrupted: 0 of 1 runs done');
    expect(stderr).toContain('racy-counter: interrupted, cancelling...');
  });
});
