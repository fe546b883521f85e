// pnpm --filter racy-counter start [-- --mode all --workers 4 --increments 1000000]
import {
  type Measurement,
  makeReport,
  option,
  parseOptions,
  printReport,
  runCli,
  timed,
} from '@lab/harness';
import { checkTotal, coresNote, counterOptions, opsPerSec } from './options.ts';
import {
  type Count,
  countWithAsyncAwait,
  countWithoutAwait,
  countWithThreads,
} from './racy-counter.ts';

const usage =
  'Usage: pnpm --filter racy-counter start [-- options]\nIncrements one shared counter from many threads, and from many async tasks.';
const spec = {
  mode: option.choice('which race to run', ['threads', 'async', 'all'], 'all'),
  ...counterOptions,
};

runCli('racy-counter', async () => {
  const { mode, workers, increments, json } = parseOptions(process.argv.slice(2), spec, usage);
  checkTotal(workers, increments);
  const runs: [string, () => Promise<Count>][] = [];
  if (mode !== 'async') runs.push(['threads', () => countWithThreads(workers, increments)]);
  if (mode !== 'threads') {
    runs.push(['async-await-race', () => countWithAsyncAwait(workers, increments)]);
    runs.push(['async-no-await', () => countWithoutAwait(workers, increments)]);
  }
  const measurements: Measurement[] = [];
  for (const [strategy, run] of runs) {
    const { value, wallMs } = await timed(run);
    const lost = value.expected - value.actual;
    measurements.push({
      strategy,
      items: value.expected,
      wallMs,
      expected: value.expected,
      actual: value.actual,
      lost,
      lostShare: Math.round((lost / value.expected) * 10_000) / 10_000,
      opsPerSec: opsPerSec(value.expected, wallMs),
    });
  }
  printReport(makeReport('racy-counter', measurements), json, {
    heading: json
      ? []
      : [`${workers} x ${increments.toLocaleString('en')} increments of one counter`],
    columns: [
      { key: 'expected', label: 'expected' },
      { key: 'actual', label: 'actual' },
      { key: 'lost', label: 'lost' },
      { key: 'lostShare', label: 'lost share', format: (v) => `${(Number(v) * 100).toFixed(1)}%` },
    ],
    notes: [
      '',
      ...(mode !== 'async' ? [coresNote()] : []),
      ...(mode !== 'threads'
        ? [
            '  async-await-race: every task reads, then awaits, then writes: each round adds 1, however many tasks.',
            '  async-no-await: counter += 1 with no await between read and write is exact on one event loop.',
          ]
        : []),
    ],
  });
  return 0;
});
