import { interruptAfter, runJson, runMain } from '@lab/harness/testing';
import { describe, expect, it } from 'vitest';

const main = new URL('../src/main.ts', import.meta.url);

describe('safe-counter on the command line', () => {
  it('prints each fix with lost 0 and its throughput beside the racy version', async () => {
    const { results } = await runJson(main, ['--increments', '20000']);
    expect(results.map((r) => r.strategy)).toEqual([
      'threads',
      'atomics',
      'lock',
      'message-passing',
      'async-await',
      'async-mutex',
    ]);
    const byName = Object.fromEntries(results.map((r) => [r.strategy, r]));
    for (const fix of ['atomics', 'lock', 'message-passing', 'async-mutex']) {
      expect(byName[fix]).toMatchObject({
        items: 80_000,
        expected: 80_000,
        actual: 80_000,
        lost: 0,
      });
      const racy = byName[fix === 'async-mutex' ? 'async-await' : 'threads'];
      expect(byName[fix]?.vsRacy).toBeCloseTo(
        (byName[fix]?.opsPerSec as number) / (racy?.opsPerSec as number),
        2,
      );
    }
    expect(byName.threads?.opsPerSec).toBeGreaterThan(0);
    expect(byName['async-await']).toMatchObject({ actual: 20_000, lost: 60_000, vsRacy: 1 });
  });

  it('runs only the fix --strategy names, after its racy version', async () => {
    const report = await runJson(main, [
      '--strategy',
      'lock',
      '--workers',
      '8',
      '--increments',
      '99',
    ]);
    expect(report.results.map((r) => r.strategy)).toEqual(['threads', 'lock']);
    expect(report.results[1]).toMatchObject({ expected: 792, actual: 792, lost: 0, workers: 8 });
  });

  it('rejects a fix it does not know, in one line naming --strategy, exit code 2', async () => {
    const { code, stderr } = await runMain(main, ['--strategy', 'prayer']);
    expect(code).toBe(2);
    expect(stderr).toBe(
      "safe-counter: --strategy must be one of threads, atomics, lock, message-passing, async-await, async-mutex, all, got 'prayer' (see --help)\n",
    );
  });

  it('stops on Ctrl-C, prints what it finished, and exits 130', async () => {
    // The largest count, 16 x 1.25 million, takes seconds behind the async mutex; Ctrl-C comes after the heading.
    const args = ['--strategy', 'async-mutex', '--workers', '16', '--increments', '1250000'];
    const { code, stdout } = await interruptAfter(main, args, /increments of one counter\n/);
    expect(code).toBe(130);
    expect(stdout).toMatch(/interrupted: [01] of 2 runs done/);
  });
});
