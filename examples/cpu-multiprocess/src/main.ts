// pnpm --filter cpu-multiprocess start [-- --strategy all --workers 2 --job squares]
import { availableParallelism } from 'node:os';
import { setImmediate } from 'node:timers/promises';
import {
  cpuIdeal,
  formatMs,
  type Measurement,
  makeReport,
  option,
  parseOptions,
  printReport,
  runCli,
  stopwatch,
  timed,
  UsageError,
} from '@lab/harness';
import { type Run, runAsync, runProcesses, runSequential, runThreads } from './cpu-multiprocess.ts';
import { checkTask, DEFAULT_BASE, DEFAULT_NUMBERS, type JobKind, MAX_N, makeTasks } from './job.ts';

// Tasks can be tiny (try --base 1000 --numbers 1000): show them to the microsecond.
const formatTaskMs = (ms: number) => (ms < 1 ? `${ms.toFixed(3)} ms` : formatMs(ms));

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
  if (job === 'fib' && base + 2 > 45) {
    throw new UsageError(`--base for fib must be 43 or less, got ${base}`);
  }
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
  // Warm up: V8 optimises the hot loop only once it has run for a while. Left
  // cold, the first strategy timed (sequential) pays for that and async would
  // look a few percent faster than it. Small tasks of the same job do it in
  // about 50 ms, whatever --base is. Each worker still warms up on its own.
  const warmUp = makeTasks(job, 2, job === 'fib' ? 20 : 100_000);
  const warming = stopwatch();
  do await runSequential(warmUp);
  while (warming.elapsedMs() < 50);
  const measurements: Measurement[] = [];
  let workMs: number | null = null;
  for (const strategy of chosen) {
    // Ctrl-C stops a pool at once. Sequential and async hold the one thread,
    // so the signal's handler runs only at the next turn of the event loop:
    // give it that turn between strategies.
    await setImmediate();
    if (signal.aborted) break;
    const outcome = await timed(run[strategy]).catch((error: unknown) => {
      if (signal.aborted) return null;
      throw error;
    });
    if (outcome === null) break;
    const { value, wallMs } = outcome;
    const exact = tasks.every((task, i) => checkTask(task, value.results[i] ?? ''));
    // The sequential time is the work itself; every ideal is measured against
    // it: the work spread over as many workers as ran it, no more than the cores.
    if (strategy === 'sequential') workMs = wallMs;
    const started = value.perWorker.length;
    measurements.push({
      strategy,
      items: tasks.length,
      failed: exact ? 0 : tasks.length,
      wallMs,
      idealMs: workMs === null ? null : cpuIdeal(workMs, started, cores),
      exact,
      workers: started,
      startupMs: Math.round(value.startupMs * 10) / 10,
      // On the main thread a task takes its share of the wall time; in a pool,
      // from handing it to a worker until the answer is back.
      taskMs: Math.round((value.taskMs ?? wallMs / tasks.length) * 1000) / 1000,
      perWorker: value.perWorker,
    });
  }
  const report = makeReport('cpu-multiprocess', measurements, 'sequential');
  printReport(report, values.json, {
    columns: [
      { key: 'workers', label: 'workers' },
      { key: 'startupMs', label: 'start-up', format: (v) => formatMs(Number(v)) },
      { key: 'taskMs', label: 'per task', format: (v) => formatTaskMs(Number(v)) },
      { key: 'perWorker', label: 'tasks each', format: (v) => (v as number[]).join('+') },
      { key: 'exact', label: 'exact' },
    ],
    notes: [
      '',
      ...(chosen.includes('async')
        ? [
            '  async is no faster: one thread runs JavaScript, and async overlaps waiting, not computing.',
          ]
        : []),
      ...(chosen.includes('threads') || chosen.includes('processes')
        ? [
            `  threads and processes compute on up to ${cores} cores at once. start-up: until every worker`,
            '  was ready; per task: from handing a task out to its answer; tasks each: a shared queue',
            '  feeds whichever worker is free.',
          ]
        : []),
    ],
  });
  const wrong = measurements.filter((m) => !m.exact).map((m) => m.strategy);
  if (wrong.length > 0)
    console.error(`cpu-multiprocess: results differ from the closed form in ${wrong.join(', ')}`);
  return wrong.length > 0 ? 1 : 0;
});
