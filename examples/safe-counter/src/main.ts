// pnpm --filter safe-counter start [-- --fix all --workers 4 --increments 1000000]
import { type Counter, counterExample, counterOptions, countRun, countSummary } from '@lab/counter';
import { option, runExample } from '@lab/harness';
// The racy versions, from racy-counter itself: each fix is measured beside the code it fixes.
import * as racy from 'racy-counter';
import * as safe from './safe-counter.ts';

// Each fix runs after the racy version it fixes, in the same run, so the
// cost of correctness is a ratio of two measurements taken side by side.
const runs: [strategy: string, baseline: string, count: Counter][] = [
  ['racy-threads', 'racy-threads', racy.countWithThreads],
  ['atomics', 'racy-threads', safe.countWithAtomics],
  ['lock', 'racy-threads', safe.countWithLock],
  ['message-passing', 'racy-threads', safe.countWithMessages],
  ['racy-async', 'racy-async', racy.countWithAsyncAwait],
  ['async-mutex', 'racy-async', safe.countWithAsyncMutex],
];
const round3 = (x: number) => Math.round(x * 1000) / 1000;
const exact = (results: { strategy: string; lost?: unknown }[]) =>
  results.every((r) => r.lost === 0 || r.strategy.startsWith('racy'));
const fixes = runs.filter(([name, baseline]) => name !== baseline).map(([name]) => name);
// A fix is wanted when --fix names it (or all); a racy run when one of its fixes is.
const wanted = (fix: string, name: string) =>
  fix === 'all' ||
  runs.some(([other, baseline]) => other === fix && (other === name || baseline === name));

runExample({
  name: 'safe-counter',
  about: 'The races of racy-counter, fixed, each measured beside the racy version it fixes.',
  options: { fix: option.choice('which fix to run', [...fixes, 'all'], 'all'), ...counterOptions },
  ...counterExample,
  strategies: (values) =>
    runs
      .filter(([name]) => wanted(values.fix, name))
      .map(([name, baseline, count]) =>
        countRun(name, count, values, ({ opsPerSec }, done) => {
          // This fix's throughput over the racy version's: what correctness costs.
          const racyRate = Number(done.find((m) => m.strategy === baseline)?.opsPerSec);
          return {
            vsRacy:
              name === baseline ? 1 : racyRate > 0 ? round3(Number(opsPerSec) / racyRate) : null,
          };
        }),
      ),
  summary: (_values, { results }) =>
    countSummary(
      results,
      [
        { key: 'opsPerSec', label: 'increments/s', format: (v) => Number(v).toLocaleString('en') },
        { key: 'vsRacy', label: 'vs racy', format: (v) => `${Number(v).toFixed(2)}x` },
      ],
      [
        exact(results)
          ? '  every fix is exact; "vs racy" is its speed over the racy version it fixes, measured just before it.'
          : '  A FIX LOST UPDATES: that is a bug.',
      ],
    ),
  exitCode: ({ results }) => (exact(results) ? 0 : 1),
});
