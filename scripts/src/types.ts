// The matrix's shapes, in a module of their own: matrix.ts writes them,
// report.ts and outcome.ts read them, and matrix.ts also calls the report, so
// keeping the shapes (and checkMatrix, which declares matrix.json's) here
// leaves no import cycle between those modules.
import type { ResultRecord } from '@lab/harness';

export interface Machine {
  cpuModel: string;
  cpus: number;
  memoryGb: number;
  os: string;
  node: string;
  python: string | null;
}

export interface MatrixRecord extends ResultRecord {
  /** The workload group its example's manifest names (io, cpu, race, ...). */
  workload: string;
  /** wrk: the throughput benchmark's loopback bound, a client written in C. */
  language: 'node' | 'python' | 'wrk';
  repeats: number;
  spread: { minMs: number; maxMs: number };
}

export interface Matrix {
  machine: Machine;
  quick: boolean;
  results: MatrixRecord[];
}

/** One download's times, from its strategy's start: [request sent, first byte (null if none came), last byte]. */
export type RequestTiming = [startMs: number, firstByteMs: number | null, endMs: number];

/** The shape results/matrix.json declares; returns what is wrong with a value, or [] if nothing. */
export function checkMatrix(value: unknown): string[] {
  const problems: string[] = [];
  const m = value as Matrix;
  if (typeof m !== 'object' || m === null) return ['not an object'];
  for (const key of ['cpuModel', 'cpus', 'memoryGb', 'os', 'node'] as const) {
    if (m.machine?.[key] === undefined) problems.push(`machine.${key} is missing`);
  }
  if (!Array.isArray(m.results) || m.results.length === 0) return [...problems, 'results is empty'];
  m.results.forEach((r, i) => {
    const fields: [string, string][] = [
      ['example', 'string'],
      ['strategy', 'string'],
      ['workload', 'string'],
      ['items', 'number'],
      ['failed', 'number'],
      ['wallMs', 'number'],
      ['repeats', 'number'],
    ];
    for (const [key, kind] of fields) {
      if (typeof r[key] !== kind) problems.push(`results[${i}].${key} is not a ${kind}`);
    }
    for (const key of ['idealMs', 'efficiency', 'speedup']) {
      if (!(key in r) || (r[key] !== null && typeof r[key] !== 'number')) {
        problems.push(`results[${i}].${key} is not a number or null`);
      }
    }
    if (
      typeof r.spread?.minMs !== 'number' ||
      r.spread.minMs > r.wallMs ||
      r.spread.maxMs < r.wallMs
    ) {
      problems.push(`results[${i}].spread does not hold its median`);
    }
  });
  return problems;
}
