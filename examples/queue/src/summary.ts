// The queue's heading, columns and notes: each row beside the work alone
// and its prediction from the per-job cost measured in this run, what a job
// costs on the queue, the chunk that amortises it, and the takeover of a
// killed worker's job.
import { type Column, formatMs, type Report, type ResultRecord } from '@lab/harness';
import { LOCK_MS, STALLED_EVERY_MS } from './queue.ts';
import { AMORTISE, NOISE, type Prepared, type Values } from './setup.ts';

const ms = (v: unknown) => (v === undefined || v === null ? '' : formatMs(Number(v)));
const fine = (v: unknown) =>
  v === undefined || v === null
    ? ''
    : Number(v) < 1
      ? `${Number(v).toFixed(3)} ms`
      : formatMs(Number(v));

export function heading(values: Values, p: Prepared): string[] {
  const where = p.local
    ? `a redis-server ${p.version} started for this run at ${p.redis}`
    : `Redis ${p.version} at ${p.redis}`;
  const big = p.big;
  return [
    `queue '${p.name}' in ${where}; ${values.workers} worker processes on ${p.cores} cores`,
    `CPU job: ${big.length} sums of squares from n = ${big[0]?.n.toLocaleString('en')} (sized here for about ${formatMs(p.sizing.expectedMs)} sequential; ${p.sizing.probe})`,
    `small job: ${p.small.length} sums from n = ${p.small[0]?.n.toLocaleString('en')}, ${fine(p.smallAloneMs / p.small.length)} a task alone here`,
  ];
}

export const columns: Column[] = [
  { key: 'jobs', label: 'jobs' },
  { key: 'chunk', label: 'chunk', format: (v) => (v === undefined ? '' : String(v)) },
  { key: 'workMs', label: 'work alone', format: ms },
  { key: 'onWorkersMs', label: 'on workers', format: ms },
  { key: 'predictedMs', label: 'predicted', format: ms },
  {
    key: 'vsAlone',
    label: 'speedup',
    format: (v) => (v === undefined ? '' : `${Number(v).toFixed(2)}x`),
  },
  { key: 'perJobMs', label: 'per job', format: fine },
  {
    key: 'scriptsPerJob',
    label: 'trips/job',
    format: (v) => (v === undefined ? '' : Number(v).toFixed(2)),
  },
  { key: 'redisMsPerJob', label: 'redis/job', format: fine },
  {
    key: 'perWorker',
    label: 'tasks each',
    format: (v) => (v ? Object.values(v as object).join('+') : ''),
  },
  { key: 'exact', label: 'exact' },
];

const row = (report: Report, name: string) => report.results.find((r) => r.strategy === name);

export function notes(report: Report, p: Prepared): string[] {
  const lines = [
    '',
    '  work alone: the same tasks on this thread; speedup: work alone / time; ideal: work alone / min(workers, cores)',
    "  per job: a worker's time per job beyond its tasks, from queue-small (or 200 small jobs before the clock):",
    '  (time x slots - work on the workers) / jobs',
    '  predicted: a lone job + (work on the workers + jobs x per job) / slots; slots: min(workers, cores)',
    "  trips/job: scripts Redis ran a job (each one round trip: add, then finish-and-take-the-next); redis/job: Redis's own time a job",
  ];
  const small = row(report, 'queue-small');
  const costs = report.results.find((r) => typeof r.loneJobMs === 'number');
  if (costs) {
    lines.push(
      `  a lone job on an idle queue: ${fine(costs.loneJobMs)} from add to its result heard back, ${fine(costs.enqueueToStartMs)} from add to its start; a PING ${fine(costs.redisPingMs)}`,
    );
  }
  const chunked = row(report, 'queue-chunked');
  if (chunked) {
    const perJob = Number(chunked.perJobMs);
    const taskMs = p.smallAloneMs / p.small.length;
    lines.push(
      `  chunk ${chunked.chunk}: the fewest tasks a job whose work (${fine(taskMs)} a task) makes the queue's ${fine(perJob)} at most ${AMORTISE * 100}% of it (at least 4 jobs a worker)`,
    );
    if (small) {
      lines.push(
        `  chunked: ${(small.wallMs / chunked.wallMs).toFixed(1)}x faster than one small task a job`,
      );
    }
  }
  const celery = row(report, 'celery');
  const celeryChunked = row(report, 'celery-chunked');
  if (celery && celeryChunked) {
    lines.push(
      `  celery: the same small job in CPython, ${fine(Number(celery.workMs) / celery.items)} a task; chunks of ${celeryChunked.chunk}: ${(celery.wallMs / celeryChunked.wallMs).toFixed(1)}x faster than one a message`,
    );
  }
  for (const r of report.results) lines.push(...outside(r));
  const queue = row(report, 'queue');
  const killed = queue?.killed as
    | { pid: number; jobId: string; stalledAfterMs: number; takeoverMs: number }
    | undefined;
  if (killed) {
    lines.push(
      `  killed worker ${killed.pid} (SIGKILL) in the middle of job ${killed.jobId}: taken over after ${formatMs(killed.takeoverMs)}`,
      `  (its lock, ${LOCK_MS / 1000} s, lapsed; a live worker's stalled-job check, every ${STALLED_EVERY_MS / 1000} s, put it back on the queue)`,
      `  total ${queue?.total}: ${queue?.exact ? 'exact, each task counted once by its job id' : 'NOT exact'}`,
    );
  }
  lines.push(...p.notes);
  const wrong = report.results.filter((r) => !r.exact).map((r) => r.strategy);
  if (wrong.length > 0) lines.push(`  results differ from the closed form in ${wrong.join(', ')}`);
  return lines;
}

/** A queue row outside the noise bound of its prediction, said with the share. */
function outside(r: ResultRecord): string[] {
  if (typeof r.predictedMs !== 'number' || r.predictedMs <= 0 || r.killed) return [];
  const off = r.wallMs / r.predictedMs - 1;
  if (Math.abs(off) <= NOISE) return [];
  return [
    `  ${r.strategy}: ${Math.round(Math.abs(off) * 100)}% ${off > 0 ? 'slower' : 'faster'} than predicted (the bound is ${NOISE * 100}%)`,
  ];
}
