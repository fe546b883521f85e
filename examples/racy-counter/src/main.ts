// pnpm --filter racy-counter start [-- --mode all --workers 4 --increments 1000000]
import { type Counter, counterExample, counterOptions, countRun, countSummary } from '@lab/counter';
import { option, runExample } from '@lab/harness';
import { countWithAsyncAwait, countWithoutAwait, countWithThreads } from './racy-counter.ts';

const races: [name: string, mode: string, count: Counter][] = [
  ['threads', 'threads', countWithThreads],
  ['async-await-race', 'async', countWithAsyncAwait],
  ['async-no-await', 'async', countWithoutAwait],
];
const share = (lost: unknown, of: number) => Math.round((Number(lost) / of) * 10_000) / 10_000;

runExample({
  name: 'racy-counter',
  about:
    'Increments one shared counter from many threads, and from many async tasks, without protection.',
  options: {
    mode: option.choice('which race to run', ['threads', 'async', 'all'], 'all'),
    ...counterOptions,
  },
  ...counterExample,
  strategies: (values) =>
    races
      .filter(([, mode]) => values.mode === 'all' || values.mode === mode)
      .map(([name, , count]) =>
        countRun(name, count, values, (o) => ({ lostShare: share(o.lost, o.items) })),
      ),
  summary: ({ workers, increments }, { results }) => {
    const ran = (name: string) => results.some((r) => r.strategy === name);
    const K = increments.toLocaleString('en');
    const percent = (v: unknown) => `${(Number(v) * 100).toFixed(1)}%`;
    return countSummary(
      results,
      [{ key: 'lostShare', label: 'lost share', format: percent }],
      [
        ...(ran('async-await-race')
          ? [
              `  async-await-race: every task reads, awaits, then writes; each round of ${workers} adds 1, so the count ends at exactly ${K}.`,
            ]
          : []),
        ...(ran('async-no-await')
          ? [
              '  async-no-await: counter += 1 with no await inside is exact: a task yields only at an await.',
            ]
          : []),
      ],
    );
  },
});
