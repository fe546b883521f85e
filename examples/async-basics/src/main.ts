// pnpm --filter async-basics start [-- --scale 1]
import { option, runExample } from '@lab/harness';
import { watchTasks, ways } from './async-basics.ts';
import { showAwaitables } from './awaitables.ts';
import { whenOneFails } from './failures.ts';
import type { SayOptions } from './say-after.ts';

// After the three timed ways, the rest of the notes' tour, untimed.
const tour = [
  ['the event loop knows every task and its state:', watchTasks],
  ['a task fails after 0.5 s, beside hello (0.25 s) and world (2 s):', whenOneFails],
  ['awaitables:', showAwaitables],
] as const;

const sayer = (scale: number, signal: AbortSignal, log: (line: string) => void): SayOptions => ({
  scale,
  signal,
  say: (line) => log(`  ${line}`),
});

runExample({
  name: 'async-basics',
  about: "The notes' coroutines, tasks and task groups, timed.",
  options: {
    // The notes' three ways take 7 s at scale 1: at most 70 s.
    scale: option.number("multiply the notes' seconds by this (all three ways: 7 s x scale)", {
      default: 1,
      min: 0.001,
      max: 10,
    }),
  },
  strategies: ({ scale }) =>
    ways.map(([name, title, way, idealSeconds]) => ({
      name,
      run: async ({ signal, log }) => {
        log(`\n${name}: ${title}`);
        await way(sayer(scale, signal, log));
        return { items: 2, idealMs: idealSeconds * 1000 * scale };
      },
    })),
  baseline: 'sequential',
  after: async ({ scale }, { signal, log }) => {
    for (const [title, show] of tour) {
      log(`\n${title}`);
      await show(sayer(scale, signal, log));
    }
    log('');
  },
});
