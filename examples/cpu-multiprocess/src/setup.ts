// What cpu-multiprocess's main needs around the lesson: its options, the
// work done before any clock (the size, the bare start-up, the warm pools,
// the watch on every worker), each run's record with its model, and the
// words of the summary. The lesson itself is in cpu-multiprocess.ts; it
// is timed and watched from here, and handed nothing but its arguments.
import { availableParallelism } from 'node:os';
import {
  type Column,
  cpuIdeal,
  type ExampleValues,
  formatMs,
  type Measurement,
  option,
  type Report,
  type RunContext,
  type Strategy,
  UsageError,
} from '@lab/harness';
import {
  calibrate,
  checkTask,
  DEFAULT_NUMBERS,
  MAX_N,
  makeTasks,
  runTask,
  type Task,
} from '@lab/job';
import { type MemberKind, measureBareStartup, predictSpeedup } from '@lab/pool';
import { openProcessPool, openThreadPool, type WorkerPool } from './cpu-multiprocess.ts';
import { type Mark, poolSeen, type Seen, watchWorkers } from './watch.ts';

export const strategies = [
  'sequential',
  'async',
  'threads',
  'processes',
  'threads-warm',
  'processes-warm',
] as const;
export type StrategyName = (typeof strategies)[number];

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

export const chosen = (values: Values): readonly StrategyName[] =>
  values.strategy === 'all' ? strategies : [values.strategy];

/** Which kind of pool member a strategy runs on, if any. */
const kindOf = (strategy: string): MemberKind | null =>
  strategy.startsWith('thread') ? 'thread' : strategy.startsWith('process') ? 'process' : null;

export async function prepare(values: Values, { signal }: Pick<RunContext, 'signal'>) {
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
  // The floor under each pool's start-up: workers that load nothing, timed now.
  const bare: Record<MemberKind, number> = { thread: 0, process: 0 };
  for (const kind of ['thread', 'process'] as const) {
    if (chosen(values).some((s) => kindOf(s) === kind))
      bare[kind] = await measureBareStartup(kind, members);
  }
  // From here on every worker is watched, the warm pools' too.
  const watch = watchWorkers();
  const warm = await openWarmPools(chosen(values), tasks, members, watch, signal);
  return {
    job,
    tasks,
    base,
    sizing,
    members,
    cores: availableParallelism(),
    bare,
    warm,
    watch,
    async [Symbol.asyncDispose]() {
      await warm.close();
      watch[Symbol.dispose]();
    },
  };
}
type Prepared = Awaited<ReturnType<typeof prepare>>;

// V8 optimises the hot loop only once it has run for a while, and again when
// a large n first takes the loop down a new path. Left cold, the first
// strategy timed (sequential) pays for that and async would look faster than
// it. So the first real task runs here, for at least 50 ms. Each worker still
// warms up on its own (a warm pool, before the clock).
function warmUp(tasks: readonly Task[]): void {
  const started = performance.now();
  do runTask(tasks[0] as Task);
  while (performance.now() - started < 50);
}

interface WarmPool {
  pool: WorkerPool;
  workers: Seen[];
  startupMs: number;
}

/**
 * The pools the -warm strategies reuse: opened before any clock, each worker
 * has run the job twice (so its time per task, and so its start-up, is
 * seen), as a server keeps its workers.
 */
async function openWarmPools(
  chosen: readonly StrategyName[],
  tasks: readonly Task[],
  members: number,
  watch: ReturnType<typeof watchWorkers>,
  signal: AbortSignal,
) {
  const pools = new Map<MemberKind, WarmPool>();
  const close = () =>
    Promise.all([...pools.values()].map(({ pool }) => pool[Symbol.asyncDispose]()));
  try {
    for (const strategy of chosen.filter((s) => s.endsWith('-warm'))) {
      const kind = kindOf(strategy) as MemberKind;
      const mark = watch.mark();
      const pool = kind === 'thread' ? openThreadPool(members) : openProcessPool(members);
      pools.set(kind, { pool, workers: [], startupMs: 0 });
      await pool.map(
        Array.from({ length: 2 * members }, (_, i) => tasks[i % tasks.length] as Task),
        signal,
      );
      const workers = watch.createdSince(mark);
      pools.set(kind, { pool, workers, startupMs: poolSeen(workers, mark.at, Infinity).startupMs });
    }
  } catch (error) {
    await close();
    throw error;
  }
  return {
    pool: (kind: MemberKind) => pools.get(kind) as WarmPool,
    close,
  };
}

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

/**
 * A strategy as the harness runs it: `run` is the lesson's call and nothing
 * else; before it (untimed) a mark on the watch and the CPU used so far,
 * after it (untimed) what the watch saw, the answers checked, the ideal and,
 * for a pool, the speedup its model predicts from this run's own numbers.
 */
export function measured(
  name: StrategyName,
  run: (signal: AbortSignal) => Promise<string[]>,
  prepared: Prepared,
): Strategy {
  let mark: Mark = prepared.watch.mark();
  let cpu = process.cpuUsage();
  return {
    name,
    async before() {
      mark = prepared.watch.mark();
      cpu = process.cpuUsage();
    },
    run: async ({ signal }) => ({ items: prepared.tasks.length, results: await run(signal) }),
    async after(outcome, { done }) {
      const used = process.cpuUsage(cpu);
      return record(name, outcome, done, prepared, mark, (used.user + used.system) / 1000);
    },
  };
}

function record(
  strategy: StrategyName,
  { results, wallMs }: { results?: unknown; wallMs: number },
  done: readonly Measurement[],
  { tasks, base, bare, warm, watch, cores }: Prepared,
  mark: Mark,
  cpuMs: number,
) {
  const answers = (results ?? []) as string[];
  const exact = tasks.every((task, i) => checkTask(task, answers[i] ?? ''));
  const workMs =
    strategy === 'sequential'
      ? wallMs
      : (done.find((d) => d.strategy === 'sequential')?.wallMs ?? null);
  const kind = kindOf(strategy);
  const fields = {
    items: tasks.length,
    failed: exact ? 0 : tasks.length,
    exact,
    base,
    // This process's CPU time over the run's time: the cores it kept busy.
    cpuCores: round(cpuMs / wallMs, 2),
  };
  if (!kind) {
    return {
      ...fields,
      workers: 1,
      startupMs: 0,
      idealMs: workMs === null ? null : cpuIdeal(workMs, 1, cores),
      taskMs: round(wallMs / tasks.length, 3),
      perWorker: [tasks.length],
    };
  }
  const warmPool = strategy.endsWith('-warm') ? warm.pool(kind) : null;
  const workers = warmPool?.workers ?? watch.createdSince(mark);
  const fallbackTaskMs = workMs === null ? wallMs / tasks.length : workMs / tasks.length;
  const seen = poolSeen(workers, mark.at, performance.now(), fallbackTaskMs);
  const taskMs = seen.taskMs ?? fallbackTaskMs;
  const members = workers.length;
  const startupMs = seen.startupMs;
  return {
    ...fields,
    workers: members,
    startupMs: round(startupMs, 1),
    bareStartupMs: round(bare[kind], 1),
    poolStartupMs: round(warmPool?.startupMs ?? startupMs, 1),
    idealMs: workMs === null ? null : cpuIdeal(workMs, members, cores),
    taskMs: round(taskMs, 3),
    perWorker: seen.perWorker,
    predictedSpeedup:
      workMs === null
        ? null
        : round(
            predictSpeedup({ workMs, tasks: tasks.length, members, cores, startupMs, taskMs }),
            2,
          ),
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
  { key: 'cpuCores', label: 'cpu', format: (v) => Number(v).toFixed(2) },
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
    `pools of ${members} workers on ${cores} cores`,
  ];
}

export function notes(report: Report, chosen: readonly StrategyName[]): string[] {
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
      '  start-up: inside the timing, until every worker could begin its first task (0 for a warm pool,',
      '  opened before the clock); bare: workers that load nothing, the floor under start-up.',
      "  per task, start-up, tasks each: seen from the workers' answers; cpu: this process's CPU time",
      "  over the run's time (a child process's is its own, not counted here).",
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
          `  per task: ${slower}% slower on workers running side by side than alone on the main thread: the`,
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
