// pnpm --filter safe-counter start [-- --strategy all --workers 4 --increments 1000000]
import * as counter from '@lab/counter';
import { type ResultRecord, runExample } from '@lab/harness';
import * as racy from 'racy-counter'; // each fix is measured beside the very code it fixes
import * as safe from './safe-counter.ts';

// Each run, and for a fix the racy run it fixes, which runs just before it:
// what correctness costs is then a ratio of two measurements, "vs racy".
const runs: Record<string, [count: counter.Counter, fixes?: string]> = {
  threads: [racy.countWithThreads],
  atomics: [safe.countWithAtomics, 'threads'],
  lock: [safe.countWithLock, 'threads'],
  'message-passing': [safe.countWithMessages, 'threads'],
  'async-await': [racy.countWithAsyncAwait],
  'async-mutex': [safe.countWithAsyncMutex, 'async-await'],
};
const names = Object.keys(runs);
const fixes = (name: string) => runs[name]?.[1];
const exact = (results: ResultRecord[]) => results.every((r) => r.lost === 0 || !fixes(r.strategy));
const ratio = (a: unknown, b: unknown) =>
  Number(b) > 0 ? Math.round((Number(a) / Number(b)) * 1000) / 1000 : null;

runExample({
  name: 'safe-counter',
  about: 'The races of racy-counter, fixed, each measured beside the racy version it fixes.',
  options: { strategy: counter.strategyOption(names), ...counter.counterOptions },
  ...counter.counterExample,
  strategies: ({ strategy, ...sizes }) =>
    names
      .filter((name) => strategy === 'all' || strategy === name || fixes(strategy) === name)
      .map((name) =>
        counter.countRun(name, runs[name]![0], sizes, ({ opsPerSec }, done) => {
          const racyRun = done.find((m) => m.strategy === fixes(name));
          return { vsRacy: fixes(name) ? ratio(opsPerSec, racyRun?.opsPerSec) : 1 };
        }),
      ),
  summary: (_values, { results }) =>
    counter.countSummary(results, counter.rateColumns, [
      exact(results)
        ? '  every fix is exact; "vs racy" is its speed over the racy version it fixes, measured just before it.'
        : '  A FIX LOST UPDATES: that is a bug.',
    ]),
  exitCode: ({ results }) => (exact(results) ? 0 : 1),
});
