// pnpm --filter racy-counter start [-- --mode all --workers 4 --increments 1000000]
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
import type { Count, CountOptions } from './count.ts';
import { checkTotal, coresNote, counterOptions, opsPerSec } from './options.ts';
import { countWithAsyncAwait, countWithoutAwait, countWithThreads } from './racy-counter.ts';

const usage =
  'Usage: pnpm --filter racy-counter start [-- options]\nIncrements one shared counter from many threads, and from many async tasks, without protection.';
const spec = {
  mode: option.choice('which race to run', ['threads', 'async', 'all'], 'all'),
  ...counterOptions,
};

type Run = [strategy: string, count: (w: number, k: number, o: CountOptions) => Promise<Count>];

runCli('racy-counter', async ({ signal }) => {
  const { mode, workers, increments, json } = parseOptions(process.argv.slice(2), spec, usage);
  checkTotal(workers, increments);
  const runs: Run[] = [];
  if (mode !== 'async') runs.push(['threads', countWithThreads]);
  if (mode !== 'threads') {
    runs.push(['async-await-race', countWithAsyncAwait]);
    runs.push(['async-no-await', countWithoutAwait]);
  }
  const measurements: Measurement[] = [];
  for (const [strategy, count] of runs) {
    // Ctrl-C stops the run in flight (its threads terminated); the runs done so far are printed.
    const run = await timed(() => count(workers, increments, { signal })).catch((error) => {
      if (signal.aborted) return null;
      throw error;
    });
    if (run === null) break;
    const { expected, actual, countMs } = run.value;
    const lost = expected - actual;
    measurements.push({
      strategy,
      items: expected,
      wallMs: run.wallMs,
      workers,
      countMs: Math.round(countMs * 100) / 100,
      expected,
      actual,
      lost,
      lostShare: Math.round((lost / expected) * 10_000) / 10_000,
      opsPerSec: opsPerSec(expected, countMs),
    });
  }
  const ran = (strategy: string) => measurements.some((m) => m.strategy === strategy);
  printReport(makeReport('racy-counter', measurements), json, {
    heading: [`${workers} x ${increments.toLocaleString('en')} increments of one counter`],
    columns: [
      { key: 'countMs', label: 'counting', format: (v) => formatMs(Number(v)) },
      { key: 'expected', label: 'expected' },
      { key: 'actual', label: 'actual' },
      { key: 'lost', label: 'lost' },
      { key: 'lostShare', label: 'lost share', format: (v) => `${(Number(v) * 100).toFixed(1)}%` },
    ],
    notes: [
      '',
      ...(ran('threads') ? [coresNote()] : []),
      ...(ran('async-await-race')
        ? [
            `  async-await-race: every task reads, awaits, then writes; each round of ${workers} adds 1, so the count ends at exactly ${increments.toLocaleString('en')}.`,
          ]
        : []),
      ...(ran('async-no-await')
        ? [
            '  async-no-await: counter += 1 with no await inside is exact: a task yields only at an await.',
          ]
        : []),
      ...(signal.aborted
        ? [`  interrupted: ${measurements.length} of ${runs.length} runs done.`]
        : []),
    ],
  });
  return 0;
});
