import { describe, expect, it } from 'vitest';
import { cells } from '../src/cells.ts';
import { planCells } from '../src/plan.ts';

describe('planCells', () => {
  const wanted = cells({ quick: true, withPython: true });
  const python = { python: '/usr/bin/python3', version: 'Python 3', missing: [], problem: null };

  it('skips an example that is not built yet, once, naming it', () => {
    const { runnable, skipped } = planCells(
      wanted,
      python,
      (file) => !file.includes('pool-download/src'),
      () => true,
    );
    expect(skipped).toEqual([
      'skipped: pool-download not built (no examples/pool-download/src/main.ts)',
    ]);
    expect(runnable).toHaveLength(wanted.length - 3);
  });

  it('skips only the originals whose library is missing', () => {
    const { runnable, skipped } = planCells(
      wanted,
      { ...python, missing: ['requests'] },
      () => true,
      () => true,
    );
    expect(skipped).toEqual([
      'skipped: sync_download.py needs requests, which /usr/bin/python3 lacks',
      'skipped: thread_pool.py needs requests, which /usr/bin/python3 lacks',
    ]);
    expect(runnable.filter((c) => c.language === 'python')).toHaveLength(5);
  });

  it('skips an example whose program is not installed, saying how to get it', () => {
    const { runnable, skipped } = planCells(
      wanted,
      python,
      () => true,
      (command) => command !== 'redis-server',
    );
    expect(skipped).toEqual([
      'skipped: queue needs redis-server, which is not installed here (apt-get install redis-server)',
    ]);
    expect(runnable.some((c) => c.example === 'queue')).toBe(false);
    expect(runnable).toHaveLength(wanted.length - 1);
  });
});
