import { describe, expect, it } from 'vitest';
import { withSpeedups } from '../src/speedups.ts';
import { record } from './records.ts';

describe('withSpeedups', () => {
  it("measures each language against its own sequential run, with Node's models for Python", () => {
    const out = withSpeedups(
      [
        record('io', 'node', 'sequential', 8100, 8000),
        record('io', 'node', 'pool-tasks', 1640, 1600),
        record('io', 'python', 'python-sequential', 8150, null),
        record('io', 'python', 'python-threads', 1630, null),
        record('cpu', 'node', 'sequential', 300, 300),
        // Its own run's sequential took 320 ms; the matrix's median baseline is 300.
        record('cpu', 'node', 'threads', 160, 160, { workers: 2 }),
        record('cpu', 'python', 'python-sequential', 3700, null, { workers: 1 }),
        record('cpu', 'python', 'python-threads', 3800, null, { workers: 2 }),
        record('cpu', 'python', 'python-processes', 2000, null, { workers: 2 }),
        record('race', 'node', 'atomics', 200, null),
      ],
      2,
    );
    const row = (strategy: string, workload = 'cpu') =>
      out.find((r) => r.strategy === strategy && r.workload === workload)!;
    expect(row('python-sequential', 'io')).toMatchObject({ speedup: 1, idealMs: 8000 });
    expect(row('python-threads', 'io')).toMatchObject({ speedup: 5, idealMs: 1600 });
    expect(row('python-threads')).toMatchObject({ speedup: 0.974, idealMs: 1850 });
    expect(row('python-processes')).toMatchObject({
      speedup: 1.85,
      idealMs: 1850,
      efficiency: 0.925,
    });
    expect(row('sequential')).toMatchObject({ speedup: 1, idealMs: 300 });
    expect(row('threads')).toMatchObject({ speedup: 1.875, idealMs: 150, efficiency: 0.938 });
    expect(row('atomics', 'race')).toMatchObject({ speedup: null, idealMs: null });
  });
});
