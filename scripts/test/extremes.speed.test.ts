// At the ends of their bounds, runs stay within the time and memory stated here.
import { describe, expect, it } from 'vitest';
import { type Name, run } from './extremes.ts';

/** At the end: a run within the stated time (ms) and memory (MB). */
const allowed: [Name, string[], number, number][] = [
  // 16 threads, the most: their start-up and memory are the cost.
  ['racy-counter', ['--workers', '16', '--increments', '1'], 10_000, 700],
  ['safe-counter', ['--workers', '16', '--increments', '1'], 10_000, 700],
  // The most increments in all, on the fastest path.
  [
    'racy-counter',
    ['--strategy', 'threads', '--workers', '1', '--increments', '20000000'],
    10_000,
    400,
  ],
  // 16 members in each pool, the most, and the most numbers at the smallest size.
  ['cpu-multiprocess', ['--workers', '16', '--numbers', '16', '--base', '1000'], 15_000, 900],
  [
    'cpu-multiprocess',
    ['--numbers', '1000', '--base', '1', '--strategy', 'threads-warm'],
    10_000,
    400,
  ],
  ['event-loop', ['--numbers', '1000', '--base', '1'], 10_000, 400],
  ['event-loop', ['--seconds', '0.05'], 10_000, 400],
  ['async-basics', ['--scale', '0.001'], 5_000, 300],
  ['compare', ['--width', '20', 'racy-counter', 'safe-counter'], 5_000, 300],
  ['compare', ['--width', '1000', 'racy-counter', 'safe-counter'], 5_000, 300],
];

describe('no flag can take the machine: at its ends', () => {
  it('runs at the ends within the stated time and memory', async () => {
    for (const [name, args, maxMs, maxMb] of allowed) {
      const { code, stderr, ms, mb } = await run(name, args, maxMs * 2);
      const what = `${name} ${args.join(' ')}`;
      expect(code, `${what}: ${stderr}`).toBe(0);
      expect(ms, what).toBeLessThan(maxMs);
      expect(mb, what).toBeLessThan(maxMb);
    }
  }, 120_000);
});
