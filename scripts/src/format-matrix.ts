// The matrix as the table `pnpm matrix` prints: one row a record, each
// speedup that falls short of its lesson marked and explained under it, then
// Node against Python, job for job.
import { formatMs, formatTable } from '@lab/harness';
import { faster, nodeAgainstPython, speedupShortfall } from './lessons.ts';
import { outcome } from './outcome.ts';
import type { Matrix } from './types.ts';

export function formatMatrix(matrix: Matrix): string {
  const shortfalls = new Map(
    matrix.results.map((r) => [r, speedupShortfall(r, matrix.results)] as const),
  );
  // The model's predicted speedup, in a column of its own, only when some record carries one.
  const predicted = matrix.results.some((r) => typeof r.predictedSpeedup === 'number');
  const rows = matrix.results.map((r) => [
    r.workload,
    `${r.strategy} (${r.example})`,
    formatMs(r.wallMs),
    r.repeats > 1 ? `${formatMs(r.spread.minMs)}-${formatMs(r.spread.maxMs)}` : '-',
    r.speedup === null ? '-' : `${r.speedup.toFixed(2)}x${shortfalls.get(r) ? ' !' : ''}`,
    ...(predicted
      ? [typeof r.predictedSpeedup === 'number' ? `${r.predictedSpeedup.toFixed(2)}x` : '-']
      : []),
    formatMs(r.idealMs),
    r.efficiency === null ? '-' : r.efficiency.toFixed(2),
    outcome(r),
  ]);
  // The result column only when some run has one (the say_after runs alone have none).
  const results = rows.some((row) => row.at(-1) !== '');
  const m = matrix.machine;
  const lines = [
    `concurrency-lab matrix${matrix.quick ? ' (quick)' : ''}: ${m.cpuModel}, ${m.cpus} CPUs, ${m.memoryGb} GB, ${m.os}, Node ${m.node}${m.python ? `, ${m.python}` : ''}`,
    formatTable(
      [
        'workload',
        'strategy (example)',
        'time',
        'spread',
        'speedup',
        ...(predicted ? ['predicted'] : []),
        'ideal',
        'efficiency',
        ...(results ? ['result'] : []),
      ],
      results ? rows : rows.map((row) => row.slice(0, -1)),
    ),
    "  speedup: against the same language's own sequential (or blocking) run of that workload",
  ];
  // A speedup that falls short of the lesson is marked `!` and explained, never left to read as the lesson reversed.
  for (const [r, why] of shortfalls) {
    if (why) lines.push(`  ! ${r.workload} ${r.strategy} (${r.example}): ${why}`);
  }
  // A rate measured against its own model (a server's, Little's law): a row well below it is named.
  for (const r of matrix.results) {
    if (typeof r.vsModel === 'number' && r.vsModel < 0.8) {
      lines.push(
        `  ! ${r.workload} ${r.strategy}: ${r.reqPerSec} req/s, ${r.vsModel.toFixed(2)} of its model (${r.modelBound})`,
      );
    }
  }
  const pairs = nodeAgainstPython(matrix.results);
  if (pairs.length > 0) {
    lines.push(
      '',
      'Node against Python, the same job (Python time / Node time):',
      formatTable(
        ['workload', 'node', 'python', 'node time', 'python time', 'ratio'],
        pairs.map((p) => [
          p.workload,
          `${p.node.strategy} (${p.node.example})`,
          p.python.strategy,
          formatMs(p.node.wallMs),
          formatMs(p.python.wallMs),
          faster(p.ratio),
        ]),
      ),
    );
  }
  return lines.join('\n');
}
