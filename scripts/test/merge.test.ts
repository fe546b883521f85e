import { describe, expect, it } from 'vitest';
import { mergeMatrix } from '../src/merge.ts';
import type { Matrix, MatrixRecord } from '../src/types.ts';
import { record } from './records.ts';

describe('pnpm matrix --only, beside an earlier matrix', () => {
  const machine = {
    cpuModel: 'AMD EPYC',
    cpus: 2,
    memoryGb: 8,
    os: 'Linux',
    node: 'v24',
    python: 'Python 3.11',
  };
  const row = (workload: string, language: string, strategy: string, wallMs = 100) =>
    record(
      workload as MatrixRecord['workload'],
      language as MatrixRecord['language'],
      strategy,
      wallMs,
      null,
    );
  const earlier: Matrix = {
    machine,
    quick: true,
    results: [
      row('io', 'node', 'sequential', 900),
      row('io', 'python', 'python-sequential', 950),
      row('basics', 'node', 'sequential', 150),
      row('basics', 'node', 'concurrent', 100),
    ],
  };
  const fresh: Matrix = {
    machine: { ...machine, python: null },
    quick: true,
    results: [row('basics', 'node', 'sequential', 160), row('basics', 'node', 'group', 90)],
  };
  const strategies = (m: Matrix) => m.results.map((r) => `${r.workload} ${r.strategy} ${r.wallMs}`);

  it("replaces that workload's rows and keeps every other workload's", () => {
    const { matrix, kept } = mergeMatrix(earlier, fresh, {
      workloads: ['basics'],
      withPython: false,
    });
    expect(kept).toBe(2);
    expect(strategies(matrix)).toEqual([
      'io sequential 900',
      'io python-sequential 950',
      'basics sequential 160',
      'basics group 90',
    ]);
    // Python's rows were kept, so its version stays named; speedups recomputed.
    expect(matrix.machine.python).toBe('Python 3.11');
    expect(matrix.results.find((r) => r.strategy === 'group')?.speedup).toBe(1.778);
  });

  it("keeps that workload's Python rows unless this run ran Python", () => {
    const io: Matrix = { ...fresh, results: [row('io', 'node', 'sequential', 800)] };
    const without = mergeMatrix(earlier, io, { workloads: ['io'], withPython: false }).matrix;
    expect(strategies(without).slice(0, 2)).toEqual([
      'io sequential 800',
      'io python-sequential 950',
    ]);
    const withPython = mergeMatrix(earlier, io, { workloads: ['io'], withPython: true }).matrix;
    expect(strategies(withPython).filter((s) => s.startsWith('io'))).toEqual(['io sequential 800']);
  });

  it('replaces a matrix of the other size or from another machine, saying why', () => {
    const full = mergeMatrix({ ...earlier, quick: false }, fresh, {
      workloads: ['basics'],
      withPython: false,
    });
    expect(full).toMatchObject({ matrix: fresh, kept: 0, replaced: 'it was a full matrix' });
    const other = mergeMatrix({ ...earlier, machine: { ...machine, cpus: 8 } }, fresh, {
      workloads: ['basics'],
      withPython: false,
    });
    expect(other.replaced).toBe('it came from another machine');
  });
});
