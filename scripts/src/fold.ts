// A cell's repeated runs, folded into one record per strategy (the median
// run's, with the spread of all of them), and the matrix's records in its
// order: the workloads as their groups rank them, within one Node's rows
// first, then Python's, then wrk's.
import { median, type Report, type ResultRecord } from '@lab/harness';
import type { Cell } from './cells.ts';
import { workloadIds } from './cells.ts';
import type { MatrixRecord } from './types.ts';

/** The records of R runs of one cell, folded into one record per strategy: the median run's, with the spread. */
export function fold(cell: Cell, runs: Report[]): MatrixRecord[] {
  const byStrategy = new Map<string, ResultRecord[]>();
  for (const run of runs) {
    for (const record of run.results) {
      byStrategy.set(record.strategy, [...(byStrategy.get(record.strategy) ?? []), record]);
    }
  }
  return [...byStrategy.values()].map((records) => {
    const times = records.map((r) => r.wallMs);
    const middle = records.find((r) => r.wallMs === median(times))!;
    const own = middle.language;
    return {
      ...middle,
      workload: cell.workload,
      // A record that names its language (the throughput benchmark's Python and wrk rows) keeps it.
      language: own === 'python' || own === 'wrk' ? own : cell.language,
      repeats: records.length,
      spread: { minMs: Math.min(...times), maxMs: Math.max(...times) },
    };
  });
}

/** Workloads in the matrix's order; within one, Node's rows first, then Python's. */
export function sortRecords(records: MatrixRecord[]): MatrixRecord[] {
  const order = workloadIds();
  const rank = (r: MatrixRecord) =>
    order.indexOf(r.workload) * 3 + (r.language === 'python' ? 1 : r.language === 'wrk' ? 2 : 0);
  return records
    .map((r, i) => ({ r, i }))
    .sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i)
    .map(({ r }) => r);
}
