// pnpm --filter cpu-multiprocess start [-- --strategy all --workers 2 --job squares --seconds 4]
import { runExample } from '@lab/harness';
import {
  findSumsAsync,
  findSumsProcesses,
  findSumsSequential,
  findSumsThreads,
} from './cpu-multiprocess.ts';
import {
  chosen,
  columns,
  heading,
  measured,
  notes,
  options,
  prepare,
  type StrategyName,
} from './setup.ts';

runExample({
  name: 'cpu-multiprocess',
  about:
    'Runs one CPU-bound job sequentially, with async, and on pools of threads and of processes (opened inside the timing, and warm).',
  options,
  // Before any clock: size the job on this machine, time bare workers, open the warm pools.
  prepare,
  strategies: (values, prepared) => {
    const { tasks, warm } = prepared;
    const { workers } = values;
    const runs: Record<StrategyName, (signal: AbortSignal) => Promise<string[]>> = {
      sequential: async () => findSumsSequential(tasks),
      async: () => findSumsAsync(tasks),
      threads: (signal) => findSumsThreads(tasks, workers, signal),
      processes: (signal) => findSumsProcesses(tasks, workers, signal),
      'threads-warm': (signal) => warm.pool('thread').pool.map(tasks, signal),
      'processes-warm': (signal) => warm.pool('process').pool.map(tasks, signal),
    };
    return chosen(values).map((name) => measured(name, runs[name], prepared));
  },
  baseline: 'sequential',
  heading,
  summary: (values, report) => ({ columns, notes: notes(report, chosen(values)) }),
  exitCode: (report) => (report.results.every((r) => r.exact) ? 0 : 1),
});
