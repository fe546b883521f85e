// What cpu-multiprocess's main needs around the lesson: its options, the
// work done before any clock (the size, the bare start-up, the warm pools),
// each run's record with its model, and the words of the summary. The
// lesson itself is in cpu-multiprocess.ts.
import { availableParallelism } from 'node:os';
import {
  type Column,
  cpuIdeal,
  type ExampleValues,
  formatMs,
  type Measurement,
  option,
  type Report,
  UsageError,
} from '@lab/harness';
import {
  calibrate,
  checkTask,
  DEFAULT_NUMBERS,
  jobMember,
  MAX_N,
  makeTasks,
  runTask,
  type Task,
} from '@lab/job';
import {
  type MemberKind,
  measureBareStartup,
  type Pool,
  predictSpeedup,
  startPool,
} from '@lab/pool';
import type { Run } from './cpu-multiprocess.ts';

export const strategies = [
  'sequential',
  'async',
  'threads',
  'processes',
  'threads-warm',
  'processes-warm',
] as const;
export type Strategy = (typeof strategies)[number];

export const options = {
  strategy: option.choice('which strategy to run', [...strategies, 'all'], 'all'),
  job: option.choice('the work: sum of squares, or recursive fib', ['squares', 'fib'], 'squares'),
  numbers: option.int(
    'how many numbers (tasks); more if the largest exact n is too small for --seconds',
    {
      default: DEFAULT_NUMBERS,
      min: 1,
      max: 1000,
    },
  ),
  // The six strategies take about 4x the sequential time in all: at most 4 minutes.
  seconds: option.number(
    'size the job so the sequential run takes about this long here (all six: about 4x that)',
    {
      default: 4,
      min: 0.05,
      max: 60,
    },
  ),
  base: option.int(
    "the first number, fixed (overrides --seconds; the notes' size is --base 5000000)",
    { default: 0, max: MAX_N },
  ),
  // A member costs 20-30 MB: 16 threads and 16 processes, about 500 MB at the peak, measured.
  workers: option.int('threads or processes in a pool (16: about 500 MB)', {
    default: Math.min(availableParallelism(), 16),
    min: 1,
    max: 16,
  }),
};
type Values = ExampleValues<typeof options>;

export const chosen = (values: Values): readonly Strategy[] =>
  values.strategy === 'all' ? strategies : [values.strategy];

/** Which kind of pool member a strategy runs on, if any. */
const kindOf = (strategy: string): MemberKind | null =>
  strategy.startsWith('thread') ? 'thread' : strategy.startsWith('process') ? 'process' : null;

export async function prepare(values: Values) {
  const { job } = values;
  // The size: as given, or chosen on this machine so sequential takes about --seconds.
  const sizing = values.base
    ? null
    : calibrate(job, values.numbers, values.seconds, values.workers);
  const base = values.base || (sizing?.base ?? 0);
  const numbers = sizing?.numbers ?? values.numbers;
  if (job === 'squares' && base + numbers - 1 > MAX_N) {
    throw new UsageError(`--base plus --numbers must stay within ${MAX_N} for exact squares`);
  }
  if (job === 'fib' && base + 2 > 45)
    throw new UsageError(`--base for fib must be 43 or less, got ${base}`);
  const tasks = makeTasks(job, numbers, base);
  warmUp(tasks);
  const members = Math.min(values.workers, tasks.length);
  // The floor under each pool's start-up: members that load nothing, timed now.
  const bare: Record<MemberKind, number> = { thread: 0, process: 0 };
  for (const kind of ['thread', 'process'] as const) {
    if (chosen(values).some((s) => kindOf(s) === kind))
      bare[kind] = await measureBareStartup(kind, members);
  }
  const warm = await startWarmPools(chosen(values), tasks, members);
  return {
    job,
    tasks,
    base,
    sizing,
    members,
    cores: availableParallelism(),
    bare,
    warm,
    [Symbol.asyncDispose]: () => warm.close(),
  };
}
type Prepared = Awaited<ReturnType<typeof prepare>>;

// V8 optimises the hot loop only once it has run for a while, and again when
// a large n first takes the loop down a new path. Left cold, the first
// strategy timed (sequential) pays for that and async would look faster than
// it. So the first real task runs here, for at least 50 ms. Each member still
// warms up on its own (a warm pool, before the clock).
function warmUp(tasks: readonly Task[]): void {
  const started = performance.now();
  do runTask(tasks[0] as Task);
  while (performance.now() - started < 50);
}

/** The pools the -warm strategies reuse: started before any clock, and warm, as a server keeps its workers. */
async function startWarmPools(
  chosen: readonly Strategy[],
  tasks: readonly Task[],
  members: number,
) {
  const pools = new Map<MemberKind, Pool<Task, string>>();
  for (const strategy of chosen.filter((s) => s.endsWith('-warm'))) {
    const kind = kindOf(strategy) as MemberKind;
    const pool = await startPool<Task, string>({ kind, file: jobMember, size: members });
    pools.set(kind, pool);
    await pool.map(tasks.slice(0, members)); // each member has run the job once
  }
  return {
    pool: (kind: MemberKind) => pools.get(kind) as Pool<Task, string>,
    close: () => Promise.all([...pools.values()].map((pool) => pool.close())),
  };
}

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

/** One run's own fields: its answers checked, its members and their start-up. */
export function record(strategy: Strategy, run: Run, { tasks, base, bare, warm }: Prepared) {
  const exact = tasks.every((task, i) => checkTask(task, run.results[i] ?? ''));
  const kind = kindOf(strategy);
  return {
    items: tasks.length,
    failed: exact ? 0 : tasks.length,
    exact,
    base,
    workers: run.perWorker.length,
    startupMs: round(run.startupMs, 1),
    ...(kind && {
      bareStartupMs: round(bare[kind], 1),
      poolStartupMs: round(
        strategy.endsWith('-warm') ? warm.pool(kind).startupMs : run.startupMs,
        1,
      ),
    }),
    // In a pool, from handing a task out to its answer; on the main thread, filled in by complete().
    taskMs: run.taskMs === undefined ? null : round(run.taskMs, 3),
    perWorker: run.perWorker,
  };
}

/**
 * With the run's wall time known: the ideal (the sequential time over the
 * cores used) and, for a pool, the speedup its model predicts from this
 * run's own numbers: the sequential time, this pool's start-up, the cores.
 */
export function complete(
  m: Measurement,
  done: readonly Measurement[],
  { tasks, cores }: Prepared,
): Measurement {
  const workMs =
    m.strategy === 'sequential'
      ? m.wallMs
      : (done.find((d) => d.strategy === 'sequential')?.wallMs ?? null);
  const members = m.workers as number;
  const model = {
    workMs: workMs ?? 0,
    tasks: tasks.length,
    members,
    cores,
    startupMs: m.startupMs as number,
    taskMs: m.taskMs as number,
  };
  return {
    ...m,
    idealMs: workMs === null ? null : cpuIdeal(workMs, members, cores),
    taskMs: m.taskMs ?? round(m.wallMs / tasks.length, 3),
    ...(kindOf(m.strategy) && {
      predictedSpeedup: workMs === null ? null : round(predictSpeedup(model), 2),
    }),
  };
}

// Tasks can be tiny (try --base 1000 --numbers 1000): show them to the microsecond.
const taskTime = (v: unknown) =>
  Number(v) < 1 ? `${Number(v).toFixed(3)} ms` : formatMs(Number(v));
const speedup = (v: unknown) => (v === null || v === undefined ? '' : `${Number(v).toFixed(2)}x`);
const optionalMs = (v: unknown) => (v === null || v === undefined ? '' : formatMs(Number(v)));

export const columns: Column[] = [
  { key: 'predictedSpeedup', label: 'predicted', format: speedup },
  { key: 'workers', label: 'workers' },
  { key: 'startupMs', label: 'start-up', format: optionalMs },
  { key: 'bareStartupMs', label: 'bare', format: optionalMs },
  { key: 'taskMs', label: 'per task', format: taskTime },
  { key: 'perWorker', label: 'tasks each', format: (v) => (v as number[]).join('+') },
  { key: 'exact', label: 'exact' },
];

export function heading(
  _values: Values,
  { job, tasks, base, sizing, members, cores }: Prepared,
): string[] {
  const size = sizing
    ? `sized here for about ${formatMs(sizing.expectedMs)} sequential (${sizing.probe}); --base N fixes the size`
    : 'size fixed by --base';
  return [
    `job: ${job} over ${tasks.length} numbers from ${base.toLocaleString('en')}, ${size}`,
    ...(sizing?.why ? [`  (${sizing.why})`] : []),
    `pools of ${members} members on ${cores} cores`,
  ];
}

export function notes(report: Report, chosen: readonly Strategy[]): string[] {
  const lines = [''];
  if (chosen.includes('async')) {
    lines.push(
      '  async is no faster: one thread runs JavaScript, and async overlaps waiting, not computing.',
    );
  }
  if (chosen.some((s) => kindOf(s))) {
    // The prediction needs the sequential run's time: without it there is none to explain.
    if (report.results.some((r) => typeof r.predictedSpeedup === 'number')) {
      lines.push(
        '  predicted: sequential time / (start-up + rounds of tasks x per task), all measured in this run.',
      );
    }
    lines.push(
      '  start-up: inside the timing, until every member was ready (0 for a warm pool, started before',
      '  the clock); bare: members that load nothing, the floor under start-up.',
    );
    const alone = report.results.find((r) => r.strategy === 'sequential')?.taskMs as
      | number
      | undefined;
    const onMembers = report.results
      .filter((r) => kindOf(r.strategy))
      .map((r) => r.taskMs as number);
    if (alone && onMembers.length > 0) {
      const slower = Math.round((Math.min(...onMembers) / alone - 1) * 100);
      if (slower >= 5) {
        lines.push(
          `  per task: ${slower}% slower on members running side by side than alone on the main thread: the`,
          "  cores are not independent (shared caches and clocks, a host's other guests), so two cores give less than 2x.",
        );
      }
    }
  }
  for (const record of report.results) {
    const predicted = record.predictedSpeedup as number | null | undefined;
    if (predicted && record.speedup !== null && record.speedup < predicted * 0.8) {
      const share = Math.round(((record.startupMs as number) / record.wallMs) * 100);
      lines.push(
        `  ${record.strategy}: ${record.speedup.toFixed(2)}x, below the ${predicted.toFixed(2)}x predicted; start-up was ${share}% of its time.`,
      );
    }
  }
  const wrong = report.results.filter((r) => !r.exact).map((r) => r.strategy);
  if (wrong.length > 0) lines.push(`  results differ from the closed form in ${wrong.join(', ')}`);
  return lines;
}
