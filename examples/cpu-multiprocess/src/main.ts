// pnpm --filter cpu-multiprocess start [-- --strategy all --workers 2 --job squares]
import { availableParallelism } from 'node:os';
import {
  cpuIdeal,
  formatMs,
  type Measurement,
  makeReport,
  option,
  parseOptions,
  printReport,
  runCli,
  timed,
  UsageError,
} from '@lab/harness';
import { type Run, runAsync, runProcesses, runSequential, runThreads } from './cpu-multiprocess.ts';
import { checkTask, DEFAULT_BASE, DEFAULT_NUMBERS, type JobKind, MAX_N, makeTasks } from './job.ts';

const usage =
  'Usage: pnpm --filter cpu-multiprocess start [-- options]\nRuns one CPU-bound job sequentially, with async, with threads and with processes.';
const strategies = ['sequential', 'async', 'threads', 'processes'] as const;
const spec = {
  strategy: option.choice('which strategy to run', [...strategies, 'all'], 'all'),
  job: option.choice('the work: sum of squares, or recursive fib', ['squares', 'fib'], 'squares'),
  numbers: option.int('how many numbers (tasks)', { default: DEFAULT_NUMBERS, min: 1, max: 1000 }),
  base: option.int(
    `the first number; 0 for the job's default (squares ${DEFAULT_BASE.squares}, fib ${DEFAULT_BASE.fib}; the notes' size is --base 5000000)`,
    { default: 0, max: MAX_N },
  ),
  workers: option.int('threads or processes in a pool', {
    default: availableParallelism(),
    min: 1,
    max: 64,
  }),
  json: option.flag('print one JSON object instead of the summary'),
};

runCli('cpu-multiprocess', async ({ signal }) => {
  const values = parseOptions(process.argv.slice(2), spec, usage);
  const job: JobKind = values.job;
  const base = values.base || DEFAULT_BASE[job];
  if (job === 'squares' && base + values.numbers - 1 > MAX_N) {
    throw new UsageError(`--base plus --numbers must stay within ${MAX_N} for exact squares`);
  }
  if (job === 'fib' && base + 2 > 45)
    throw new UsageError(`--base for fib must be 43 or less, got ${base}`);
  const tasks = makeTasks(job, values.numbers, base);
  const { workers } = values;
  const chosen = values.strategy === 'all' ? strategies : [values.strategy];
  const cores = availableParallelism();
  const run: Record<(typeof strategies)[number], () => Promise<Run>> = {
    sequential: () => runSequential(tasks),
    async: () => runAsync(tasks),
    threads: () => runThreads(tasks, { workers, signal }),
    processes: () => runProcesses(tasks, { workers, signal }),
  };

  if (!values.json) {
    console.log(
      `job: ${job} over ${tasks.length} numbers from ${base}; ${workers} workers, ${cores} cores`,
    );
  }
  const measurements: Measurement[] = [];
  let workMs: number | null = null;
  for (const strategy of chosen) {
    if (signal.aborted) break;
    const { value, wallMs } = await timed(run[strategy]);
    const exact = tasks.every((task, i) => checkTask(task, value.results[i] ?? ''));
    // The sequential time is the work itself; every other ideal is measured against it.
    if (strategy === 'sequential') workMs = wallMs;
    const pooled = strategy === 'threads' || strategy === 'processes';
    measurements.push({
      strategy,
      items: tasks.length,
      failed: exact ? 0 : tasks.length,
      wallMs,
      idealMs: workMs === null ? null : pooled ? cpuIdeal(workMs, workers, cores) : workMs,
      exact,
      workers: pooled ? workers : 1,
      startupMs: Math.round(value.startupMs * 10) / 10,
    });
  }
  const report = makeReport('cpu-multiprocess', measurements, 'sequential');
  printReport(report, values.json, {
    columns: [
      { key: 'workers', label: 'workers' },
      { key: 'startupMs', label: 'start-up', format: (v) => formatMs(Number(v)) },
      { key: 'exact', label: 'exact' },
    ],
    notes: [
      '',
      '  async is no faster: one thread runs JavaScript, and async overlaps waiting, not computing.',
      `  threads and processes use up to ${cores} cores; start-up is the time to start their workers.`,
    ],
  });
  return measurements.every((m) => m.exact) ? 0 : 1;
});
