// pnpm --filter racy-counter start [-- --strategy all --workers 4 --increments 1000000]
import * as counter from '@lab/counter';
import { runExample } from '@lab/harness';
import { countWithAsyncAwait, countWithoutAwait, countWithThreads } from './racy-counter.ts';

const races = {
  threads: countWithThreads,
  'async-await': countWithAsyncAwait,
  'async-no-await': countWithoutAwait,
};
const names = Object.keys(races) as (keyof typeof races)[];
const share = (lost: unknown, of: number) => Math.round((Number(lost) / of) * 10_000) / 10_000;
// Under the table, what each async race that ran shows.
const notes: Record<string, (workers: number, increments: string) => string> = {
  'async-await': (W, K) =>
    `  async-await: every task reads, awaits, then writes; each round of ${W} adds 1, so the count ends at exactly ${K}.`,
  'async-no-await': () =>
    '  async-no-await: counter += 1 with no await inside is exact: a task yields only at an await.',
};

runExample({
  name: 'racy-counter',
  about:
    'Increments one shared counter from many threads, and from many async tasks, without protection.',
  options: { strategy: counter.strategyOption(names), ...counter.counterOptions },
  ...counter.counterExample,
  strategies: (values) =>
    names
      .filter((name) => values.strategy === 'all' || values.strategy === name)
      .map((name) =>
        counter.countRun(name, races[name], values, (o) => ({ lostShare: share(o.lost, o.items) })),
      ),
  summary: ({ workers, increments }, { results }) =>
    counter.countSummary(
      results,
      [counter.lostShareColumn],
      results.flatMap((r) => notes[r.strategy]?.(workers, increments.toLocaleString('en')) ?? []),
    ),
});
