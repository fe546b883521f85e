// What cpu-multiprocess's main needs around the lesson: its options, the
// size check, the warm pools it starts before the clock, and the words of
// its summary. The lesson itself is in cpu-multiprocess.ts.
import { availableParallelism } from 'node:os';
import { type Column, formatMs, option, type Report, UsageError } from '@lab/harness';
import {
  DEFAULT_NUMBERS,
  type JobKind,
  jobMember,
  MAX_N,
  runTask,
  type Sizing,
  type Task,
} from '@lab/job';
import { type MemberKind, type Pool, startPool } from '@lab/pool';

export const usage =
  'Usage: pnpm --filter cpu-multiprocess start [-- options]\nRuns one CPU-bound job sequentially, with async, and on pools of threads and of processes (started inside the timing, and warm).';
export const strategies = [
  'sequential',
  'async',
  'threads',
  'processes',
  'threads-warm',
  'processes-warm',
] as const;
export type Strategy = (typeof strategies)[number];

export const spec = {
  strategy: option.choice('which strategy to run', [...strategies, 'all'], 'all'),
  job: option.choice('the work: sum of squares, or recursive fib', ['squares', 'fib'], 'squares'),
  numbers: option.int('how many numbers (tasks)', { default: DEFAULT_NUMBERS, min: 1, max: 1000 }),
  seconds: option.number('size the job so the sequential run takes about this long here', {
    default: 2,
    min: 0.05,
    max: 600,
  }),
  base: option.int(
    "the first number, fixed (overrides --seconds; the notes' size is --base 5000000)",
    { default: 0, max: MAX_N },
  ),
  workers: option.int('threads or processes in a pool', {
    default: availableParallelism(),
    min: 1,
    max: 64,
  }),
  json: option.flag('print one JSON object instead of the summary'),
};

/** Which kind of pool member a strategy runs on, if any. */
export const kindOf = (strategy: string): MemberKind | null =>
  strategy.startsWith('thread') ? 'thread' : strategy.startsWith('process') ? 'process' : null;

export function checkSize(job: JobKind, base: number, numbers: number): number {
  if (job === 'squares' && base + numbers - 1 > MAX_N) {
    throw new UsageError(`--base plus --numbers must stay within ${MAX_N} for exact squares`);
  }
  if (job === 'fib' && base + 2 > 45)
    throw new UsageError(`--base for fib must be 43 or less, got ${base}`);
  return base;
}

// V8 optimises the hot loop only once it has run for a while, and again when
// a large n first takes the loop down a new path. Left cold, the first
// strategy timed (sequential) pays for that and async would look faster than
// it. So the first real task runs here, for at least 50 ms. Each member still
// warms up on its own (a warm pool, before the clock).
export function warmUp(tasks: readonly Task[]): void {
  const started = performance.now();
  do runTask(tasks[0] as Task);
  while (performance.now() - started < 50);
}

/** The pools the -warm strategies reuse: started now, before any clock, and closed when main is done. */
export async function startWarmPools(
  chosen: readonly Strategy[],
  tasks: readonly Task[],
  members: number,
  signal: AbortSignal,
) {
  const pools = new Map<MemberKind, Pool<Task, string>>();
  for (const kind of ['thread', 'process'] as const) {
    if (chosen.some((strategy) => strategy.endsWith('-warm') && kindOf(strategy) === kind)) {
      const pool = await startPool<Task, string>({ kind, file: jobMember, size: members, signal });
      // Warm, as a server's workers are: each member has run the job once.
      await pool.map(tasks.slice(0, members));
      pools.set(kind, pool);
    }
  }
  return {
    pool: (kind: MemberKind) => pools.get(kind) as Pool<Task, string>,
    /** A warm strategy's pool start-up, paid before the clock. */
    startupMs: (strategy: string) =>
      strategy.endsWith('-warm')
        ? (pools.get(kindOf(strategy) as MemberKind)?.startupMs ?? null)
        : null,
    async [Symbol.asyncDispose]() {
      await Promise.all([...pools.values()].map((pool) => pool.close()));
    },
  };
}

// Tasks can be tiny (try --base 1000 --numbers 1000): show them to the microsecond.
const formatTaskMs = (ms: number) => (ms < 1 ? `${ms.toFixed(3)} ms` : formatMs(ms));
const speedup = (v: unknown) => (v === null || v === undefined ? '' : `${Number(v).toFixed(2)}x`);
const optionalMs = (v: unknown) => (v === null || v === undefined ? '' : formatMs(Number(v)));

export const columns: Column[] = [
  { key: 'predictedSpeedup', label: 'predicted', format: speedup },
  { key: 'workers', label: 'workers' },
  { key: 'startupMs', label: 'start-up', format: optionalMs },
  { key: 'bareStartupMs', label: 'bare', format: optionalMs },
  { key: 'taskMs', label: 'per task', format: (v) => formatTaskMs(Number(v)) },
  { key: 'perWorker', label: 'tasks each', format: (v) => (v as number[]).join('+') },
  { key: 'exact', label: 'exact' },
];

export const notes = {
  heading(
    job: JobKind,
    tasks: readonly Task[],
    base: number,
    sizing: Sizing | null,
    members: number,
    cores: number,
  ) {
    const size = sizing
      ? `sized here for about ${formatMs(sizing.expectedMs)} sequential (${sizing.probe}); --base N fixes the size`
      : 'size fixed by --base';
    return [
      `job: ${job} over ${tasks.length} numbers from ${base.toLocaleString('en')}, ${size}`,
      `pools of ${members} members on ${cores} cores`,
    ];
  },
  after(report: Report, chosen: readonly Strategy[], interrupted: boolean): string[] {
    const lines = [''];
    if (chosen.includes('async')) {
      lines.push(
        '  async is no faster: one thread runs JavaScript, and async overlaps waiting, not computing.',
      );
    }
    if (chosen.some((s) => kindOf(s))) {
      lines.push(
        '  predicted: sequential time / (start-up + rounds of tasks over min(members, cores)), from this',
        "  run's own numbers. start-up: inside the timing, until every member was ready (0 for a warm",
        '  pool, started before the clock); bare: members that load nothing, the floor under start-up.',
      );
    }
    for (const record of report.results) {
      const predicted = record.predictedSpeedup as number | null;
      if (predicted && record.speedup !== null && record.speedup < predicted * 0.8) {
        const share = Math.round(((record.startupMs as number) / record.wallMs) * 100);
        lines.push(
          `  ${record.strategy}: ${record.speedup.toFixed(2)}x, below the ${predicted.toFixed(2)}x predicted; start-up was ${share}% of its time.`,
        );
      }
    }
    if (interrupted)
      lines.push(`  interrupted: ${report.results.length} of ${chosen.length} runs done.`);
    return lines;
  },
};
