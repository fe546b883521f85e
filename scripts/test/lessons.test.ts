import { describe, expect, it } from 'vitest';
import { expectsGain, nodeAgainstPython, speedupShortfall } from '../src/lessons.ts';
import type { MatrixRecord } from '../src/types.ts';

describe('speedupShortfall', () => {
  const cpu = (strategy: string, wallMs: number, speedup: number, extra = {}) =>
    ({
      example: 'cpu-multiprocess',
      strategy,
      workload: 'cpu',
      language: strategy.startsWith('python-') ? 'python' : 'node',
      wallMs,
      speedup,
      repeats: 3,
      spread: { minMs: wallMs, maxMs: wallMs },
      ...extra,
    }) as unknown as MatrixRecord;
  const sequential = cpu('sequential', 300, 1);

  it('explains a speedup below 1 where the lesson expects a gain by its start-up share', () => {
    const threads = cpu('threads', 400, 0.75, { startupMs: 250, bareStartupMs: 40 });
    expect(speedupShortfall(threads, [sequential, threads])).toBe(
      '0.75x, below 1 where the lesson expects a gain: start-up 250.0 ms is 63% of its 400.0 ms (a bare worker starts in 40.0 ms)',
    );
    // async and Python's threads are not expected to gain: below 1 is their lesson, not a shortfall.
    for (const r of [cpu('async', 310, 0.97), cpu('python-threads', 3100, 0.97)]) {
      expect(expectsGain(r)).toBe(false);
      expect(speedupShortfall(r, [sequential, r])).toBeNull();
    }
  });

  it('flags a speedup below its prediction only by more than the noise', () => {
    const within = cpu('processes', 170, 1.76, { predictedSpeedup: 1.9 });
    expect(speedupShortfall(within, [sequential, within])).toBeNull();
    const short = cpu('processes', 200, 1.5, { predictedSpeedup: 1.9, startupMs: 60 });
    expect(speedupShortfall(short, [sequential, short])).toBe(
      '1.50x (predicted 1.90x), below the prediction by more than the noise (10%): start-up 60.0 ms is 30% of its 200.0 ms',
    );
    // With runs that far apart, the same 1.5x is within the noise.
    const noisy = { ...short, spread: { minMs: 150, maxMs: 260 } };
    expect(speedupShortfall(noisy, [sequential, noisy])).toBeNull();
    // A warm pool, started before the clock: the reason is in the work, task for task.
    const warm = cpu('threads-warm', 400, 0.75, { startupMs: 0, taskMs: 30 });
    expect(speedupShortfall(warm, [{ ...sequential, taskMs: 10 }, warm])).toBe(
      '0.75x, below 1 where the lesson expects a gain: no start-up in its time; each task took 30.0 ms against 10.0 ms in the baseline run',
    );
    const python = cpu('python-processes', 3000, 0.9);
    expect(speedupShortfall(python, [cpu('python-sequential', 2700, 1), python])).toBe(
      '0.90x, below 1 where the lesson expects a gain: no start-up time measured for it',
    );
  });
});

describe('nodeAgainstPython', () => {
  it('sets the same job in both languages side by side, and nothing without its twin', () => {
    const r = (language: string, strategy: string, wallMs: number) =>
      ({ workload: 'cpu', language, strategy, wallMs }) as MatrixRecord;
    const pairs = nodeAgainstPython([
      r('node', 'sequential', 300),
      r('node', 'threads', 160),
      r('node', 'async', 290),
      r('python', 'python-sequential', 3900),
      r('python', 'python-threads', 4000),
    ]);
    expect(pairs.map((p) => [p.node.strategy, p.python.strategy, p.ratio])).toEqual([
      ['sequential', 'python-sequential', 13],
      ['threads', 'python-threads', 25],
    ]);
  });
});
