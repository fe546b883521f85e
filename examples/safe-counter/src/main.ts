// pnpm --filter safe-counter start [-- --fix all --workers 4 --increments 1000000]
import {
  formatMs,
  type Measurement,
  makeReport,
  option,
  parseOptions,
  printReport,
  runCli,
  timed,
} from '@lab/harness';
import {
  type Count,
  type CountOptions,
  checkTotal,
  coresNote,
  counterOptions,
  countWithAsyncAwait,
  opsPerSec,
  countWithThreads as racyThreads,
} from 'racy-counter';
import { countWithAsyncMutex, countWithThreads } from './safe-counter.ts';

const usage =
  'Usage: pnpm --filter safe-counter start [-- options]\nThe races of racy-counter, fixed, each measured beside the racy version it fixes.';
const fixes = ['atomics', 'lock', 'message-passing', 'async-mutex'] as const;
const spec = {
  fix: option.choice('which fix to run', [...fixes, 'all'], 'all'),
  ...counterOptions,
};

type Run = [
  strategy: string,
  racy: string,
  count: (w: number, k: number, o: CountOptions) => Promise<Count>,
];

runCli('safe-counter', async ({ signal }) => {
  const { fix, workers, increments, json } = parseOptions(process.argv.slice(2), spec, usage);
  checkTotal(workers, increments);
  const chosen: readonly string[] = fix === 'all' ? fixes : [fix];
  // Each fix runs after the racy version it fixes, in the same run, so the
  // cost of correctness is a ratio of two measurements taken side by side.
  const runs: Run[] = [];
  if (chosen.some((f) => f !== 'async-mutex'))
    runs.push(['racy-threads', 'racy-threads', racyThreads]);
  for (const f of ['atomics', 'lock', 'message-passing'] as const) {
    if (chosen.includes(f))
      runs.push([f, 'racy-threads', (w, k, o) => countWithThreads(f, w, k, o)]);
  }
  if (chosen.includes('async-mutex')) {
    runs.push(['racy-async', 'racy-async', countWithAsyncAwait]);
    runs.push(['async-mutex', 'racy-async', countWithAsyncMutex]);
  }
  const measurements: Measurement[] = [];
  for (const [strategy, racy, count] of runs) {
    // Ctrl-C stops the run in flight (its threads terminated); the runs done so far are printed.
    const run = await timed(() => count(workers, increments, { signal })).catch((error) => {
      if (signal.aborted) return null;
      throw error;
    });
    if (run === null) break;
    const { expected, actual, countMs } = run.value;
    const rate = opsPerSec(expected, countMs);
    const racyRate = measurements.find((m) => m.strategy === racy)?.opsPerSec as number;
    measurements.push({
      strategy,
      items: expected,
      wallMs: run.wallMs,
      workers,
      countMs: Math.round(countMs * 100) / 100,
      expected,
      actual,
      lost: expected - actual,
      opsPerSec: rate,
      // This fix's throughput over the racy version's: what correctness costs.
      vsRacy:
        strategy === racy ? 1 : racyRate > 0 ? Math.round((rate / racyRate) * 1000) / 1000 : null,
    });
  }
  const fixed = measurements.filter((m) => !m.strategy.startsWith('racy'));
  const exact = fixed.every((m) => m.lost === 0);
  printReport(makeReport('safe-counter', measurements), json, {
    heading: [`${workers} x ${increments.toLocaleString('en')} increments of one counter`],
    columns: [
      { key: 'countMs', label: 'counting', format: (v) => formatMs(Number(v)) },
      { key: 'expected', label: 'expected' },
      { key: 'actual', label: 'actual' },
      { key: 'lost', label: 'lost' },
      { key: 'opsPerSec', label: 'increments/s', format: (v) => Number(v).toLocaleString('en') },
      { key: 'vsRacy', label: 'vs racy', format: (v) => `${Number(v).toFixed(2)}x` },
    ],
    notes: [
      '',
      exact
        ? '  every fix is exact; "vs racy" is its speed over the racy version it fixes, measured just before it.'
        : '  A FIX LOST UPDATES: that is a bug.',
      ...(measurements.some((m) => m.strategy === 'racy-threads') ? [coresNote()] : []),
      ...(signal.aborted
        ? [`  interrupted: ${measurements.length} of ${runs.length} runs done.`]
        : []),
    ],
  });
  return exact ? 0 : 1;
});
