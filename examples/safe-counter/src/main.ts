// pnpm --filter safe-counter start [-- --fix all --workers 4 --increments 1000000]
import {
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
  checkTotal,
  coresNote,
  counterOptions,
  countWithAsyncAwait,
  countWithThreads,
  opsPerSec,
} from 'racy-counter';
import {
  countWithAsyncMutex,
  countWithAtomics,
  countWithLock,
  countWithMessages,
} from './safe-counter.ts';

const usage =
  'Usage: pnpm --filter safe-counter start [-- options]\nThe races of racy-counter, fixed, each beside the racy version it fixes.';
const fixes = ['atomics', 'lock', 'message-passing', 'async-mutex'] as const;
const spec = {
  fix: option.choice('which fix to run', [...fixes, 'all'], 'all'),
  ...counterOptions,
};

runCli('safe-counter', async () => {
  const { fix, workers, increments, json } = parseOptions(process.argv.slice(2), spec, usage);
  checkTotal(workers, increments);
  const chosen = fix === 'all' ? fixes : [fix];
  const threaded = chosen.some((f) => f !== 'async-mutex');
  // Each fix is measured beside the racy version it fixes, in the same run.
  const runs: [string, string, () => Promise<Count>][] = [];
  if (threaded)
    runs.push(['racy-threads', 'racy-threads', () => countWithThreads(workers, increments)]);
  if (chosen.includes('atomics'))
    runs.push(['atomics', 'racy-threads', () => countWithAtomics(workers, increments)]);
  if (chosen.includes('lock'))
    runs.push(['lock', 'racy-threads', () => countWithLock(workers, increments)]);
  if (chosen.includes('message-passing')) {
    runs.push(['message-passing', 'racy-threads', () => countWithMessages(workers, increments)]);
  }
  if (chosen.includes('async-mutex')) {
    runs.push(['racy-async', 'racy-async', () => countWithAsyncAwait(workers, increments)]);
    runs.push(['async-mutex', 'racy-async', () => countWithAsyncMutex(workers, increments)]);
  }
  const measurements: Measurement[] = [];
  for (const [strategy, racy, run] of runs) {
    const { value, wallMs } = await timed(run);
    const rate = opsPerSec(value.expected, wallMs);
    const racyRate = measurements.find((m) => m.strategy === racy)?.opsPerSec as number | undefined;
    measurements.push({
      strategy,
      items: value.expected,
      wallMs,
      expected: value.expected,
      actual: value.actual,
      lost: value.expected - value.actual,
      opsPerSec: rate,
      // This fix's throughput as a share of the racy version's: what correctness costs.
      vsRacy: racyRate ? Math.round((rate / racyRate) * 1000) / 1000 : 1,
    });
  }
  const fixed = measurements.filter((m) => !m.strategy.startsWith('racy'));
  printReport(makeReport('safe-counter', measurements), json, {
    heading: json
      ? []
      : [`${workers} x ${increments.toLocaleString('en')} increments of one counter`],
    columns: [
      { key: 'expected', label: 'expected' },
      { key: 'actual', label: 'actual' },
      { key: 'lost', label: 'lost' },
      { key: 'opsPerSec', label: 'increments/s', format: (v) => Number(v).toLocaleString('en') },
      { key: 'vsRacy', label: 'vs racy', format: (v) => `${Number(v).toFixed(2)}x` },
    ],
    notes: [
      '',
      `  ${fixed.every((m) => m.lost === 0) ? 'every fix is exact' : 'A FIX LOST UPDATES'}; the racy rows are the price of being wrong.`,
      ...(threaded ? [coresNote()] : []),
    ],
  });
  return fixed.every((m) => m.lost === 0) ? 0 : 1;
});
