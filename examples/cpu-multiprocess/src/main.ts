// pnpm --filter cpu-multiprocess start [-- --strategy all --workers 2 --job squares --seconds 4]
import { runExample } from '@lab/harness';
import {
  type Run,
  runAsync,
  runOnWarmPool,
  runProcesses,
  runSequential,
  runThreads,
} from './cpu-multiprocess.ts';
import {
  chosen,
  columns,
  complete,
  heading,
  notes,
  options,
  prepare,
  record,
  type Strategy,
} from './setup.ts';

runExample({
  name: 'cpu-multiprocess',
  about:
    'Runs one CPU-bound job sequentially, with async, and on pools of threads and of processes (started inside the timing, and warm).',
  options,
  // Before any clock: size the job on this machine, time bare members, start the warm pools.
  prepare,
  strategies: (values, prepared) => {
    const { tasks, warm } = prepared;
    const { workers } = values;
    const runs: Record<Strategy, (signal: AbortSignal) => Promise<Run>> = {
      sequential: () => runSequential(tasks),
      async: () => runAsync(tasks),
      threads: (signal) => runThreads(tasks, { workers, signal }),
      processes: (signal) => runProcesses(tasks, { workers, signal }),
      'threads-warm': () => runOnWarmPool(warm.pool('thread'), tasks),
      'processes-warm': () => runOnWarmPool(warm.pool('process'), tasks),
    };
    return chosen(values).map((name) => ({
      name,
      run: async ({ signal }) => record(name, await runs[name](signal), prepared),
    }));
  },
  complete, // the ideal and the model, once the harness has timed the run
  baseline: 'sequential',
  heading,
  summary: (values, report) => ({ columns, notes: notes(report, chosen(values)) }),
  exitCode: (report) => (report.results.every((r) => r.exact) ? 0 : 1),
});
