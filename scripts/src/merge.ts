// An `--only` run merged into the matrix already on disk, and reading that
// matrix back.
import { readFileSync } from 'node:fs';
import { sortRecords } from './fold.ts';
import { withSpeedups } from './speedups.ts';
import { checkMatrix, type Matrix, type MatrixRecord } from './types.ts';

/**
 * An `--only` run's records merged into the matrix already on disk, so that
 * one workload run again does not leave the others out of the file (and of
 * the report drawn from it). The new records replace the old ones of each
 * workload that ran (the Python rows too when this run was asked for Python;
 * otherwise only where it printed the same row again), and everything else is
 * kept. A matrix from another machine or the other size (--quick or not) is
 * not merged with: the new one replaces it, and `replaced` says why.
 */
export function mergeMatrix(
  earlier: Matrix | null,
  fresh: Matrix,
  ran: { workloads: readonly string[]; withPython: boolean },
): { matrix: Matrix; kept: number; replaced: string | null } {
  if (!earlier) return { matrix: fresh, kept: 0, replaced: null };
  const other =
    earlier.quick !== fresh.quick
      ? `it was ${earlier.quick ? 'a --quick' : 'a full'} matrix`
      : earlier.machine.cpuModel !== fresh.machine.cpuModel ||
          earlier.machine.cpus !== fresh.machine.cpus
        ? 'it came from another machine'
        : null;
  if (other) return { matrix: fresh, kept: 0, replaced: other };
  const key = (r: MatrixRecord) => `${r.workload}\0${r.language}\0${r.example}\0${r.strategy}`;
  const printedAgain = new Set(fresh.results.map(key));
  const kept = earlier.results.filter(
    (r) =>
      !printedAgain.has(key(r)) &&
      !(ran.workloads.includes(r.workload) && (r.language !== 'python' || ran.withPython)),
  );
  const keptPython = kept.some((r) => r.language === 'python');
  return {
    matrix: {
      machine: {
        ...fresh.machine,
        python: fresh.machine.python ?? (keptPython ? earlier.machine.python : null),
      },
      quick: fresh.quick,
      results: withSpeedups(sortRecords([...kept, ...fresh.results])),
    },
    kept: kept.length,
    replaced: null,
  };
}

/** The matrix in `file`, or null when there is none (or it is not one). */
export function readMatrix(file: string): Matrix | null {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8'));
    return checkMatrix(value).length === 0 ? (value as Matrix) : null;
  } catch {
    return null;
  }
}
