// pnpm --filter cpu-multiprocess start [-- --strategy all --workers 2 --job squares --seconds 2]
import { availableParallelism } from 'node:os';
import { setImmediate } from 'node:timers/promises';
import {
  cpuIdeal,
  type Measurement,
  makeReport,
  parseOptions,
  printReport,
  runCli,
  timed,
} from '@lab/harness';
import { calibrate, checkTask, makeTasks } from '@lab/job';
import { measureBareStartup, predictSpeedup } from '@lab/pool';
import {
  checkSize,
  columns,
  kindOf,
  notes,
  spec,
  startWarmPools,
  strategies,
  usage,
  warmUp,
} from './cli.ts';
import {
  runAsync,
  runOnWarmPool,
  runProcesses,
  runSequential,
  runThreads,
} from './cpu-multiprocess.ts';

runCli('cpu-multiprocess', async ({ signal }) => {
  const values = parseOptions(process.argv.slice(2), spec, usage);
  const { job, numbers, workers, json } = values;
  const chosen = values.strategy === 'all' ? strategies : [values.strategy];
  const cores = availableParallelism();
  // The size: as given, or chosen on this machine so sequential takes about --seconds.
  const sizing = values.base ? null : calibrate(job, numbers, values.seconds);
  const base = checkSize(job, values.base || (sizing?.base ?? 0), numbers);
  const tasks = makeTasks(job, numbers, base);
  warmUp(tasks);
  const members = Math.min(workers, tasks.length);
  // The floors under each pool's start-up, and the warm pools: all before the clock.
  const bare = { thread: 0, process: 0 };
  for (const kind of ['thread', 'process'] as const) {
    if (chosen.some((s) => kindOf(s) === kind))
      bare[kind] = await measureBareStartup(kind, members);
  }
  await using warm = await startWarmPools(chosen, tasks, members, signal);
  const run = {
    sequential: () => runSequential(tasks),
    async: () => runAsync(tasks),
    threads: () => runThreads(tasks, { workers, signal }),
    processes: () => runProcesses(tasks, { workers, signal }),
    'threads-warm': () => runOnWarmPool(warm.pool('thread'), tasks),
    'processes-warm': () => runOnWarmPool(warm.pool('process'), tasks),
  };
  const measurements: Measurement[] = [];
  let workMs: number | null = null;
  for (const strategy of chosen) {
    await setImmediate(); // sequential and async hold the thread: let a Ctrl-C land between runs
    if (signal.aborted) break;
    const outcome = await timed(run[strategy]).catch((error: unknown) => {
      if (signal.aborted) return null;
      throw error;
    });
    if (outcome === null) break;
    const { value, wallMs } = outcome;
    const kind = kindOf(strategy);
    if (strategy === 'sequential') workMs = wallMs;
    const exact = tasks.every((task, i) => checkTask(task, value.results[i] ?? ''));
    const started = value.perWorker.length;
    // The model, from this run's own numbers: the sequential time, this pool's start-up, the cores.
    const model = {
      workMs: workMs ?? 0,
      tasks: tasks.length,
      members: started,
      cores,
      startupMs: value.startupMs,
    };
    measurements.push({
      strategy,
      items: tasks.length,
      failed: exact ? 0 : tasks.length,
      base,
      wallMs,
      idealMs: workMs === null ? null : cpuIdeal(workMs, started, cores),
      exact,
      workers: started,
      startupMs: round(value.startupMs, 1),
      ...(kind
        ? {
            bareStartupMs: round(bare[kind], 1),
            poolStartupMs: round(warm.startupMs(strategy) ?? value.startupMs, 1),
          }
        : {}),
      predictedSpeedup: kind && workMs !== null ? round(predictSpeedup(model), 2) : null,
      // On the main thread a task takes its share of the wall time; in a pool,
      // from handing it to a member until the answer is back.
      taskMs: round(value.taskMs ?? wallMs / tasks.length, 3),
      perWorker: value.perWorker,
    });
  }
  const report = makeReport('cpu-multiprocess', measurements, 'sequential');
  printReport(report, json, {
    heading: notes.heading(job, tasks, base, sizing, members, cores),
    columns,
    notes: notes.after(report, chosen, signal.aborted),
  });
  const wrong = measurements.filter((m) => !m.exact).map((m) => m.strategy);
  if (wrong.length > 0)
    console.error(`cpu-multiprocess: results differ from the closed form in ${wrong.join(', ')}`);
  return wrong.length > 0 ? 1 : 0;
});

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;
