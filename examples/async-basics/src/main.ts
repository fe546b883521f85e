// pnpm --filter async-basics start [-- --scale 1]
import { option, runExample } from '@lab/harness';
import { concurrent, group, sequential } from './async-basics.ts';
import { tour } from './tour.ts';

// Each way, what it does, and the notes' ideal seconds.
const ways = [
  [sequential, 'await say_after(1), then await say_after(2)', 3],
  [concurrent, 'start both (create_task), then await each', 2],
  [group, 'a TaskGroup, closed by `await using`', 2],
] as const;

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
  // With --json, stdout is the one JSON object: the lessons' own lines go nowhere.
  prepare: async ({ json }) => {
    if (json) console.log = () => {};
  },
  strategies: ({ scale, json }) =>
    ways.map(([way, title, idealSeconds]) => ({
      name: way.name,
      run: async ({ signal, log }) => {
        log(`\n${way.name}: ${title}`);
        console.group(); // the lesson's own lines, indented under the title
        await way({ scale, signal }).finally(() => console.groupEnd());
        return { items: 2, idealMs: idealSeconds * 1000 * scale };
      },
      // After the last way, the rest of the tour (not with --json).
      after: async (outcome, { signal, log }) => {
        if (way === group && !json) await tour({ scale, signal }, log);
        return outcome;
      },
    })),
  baseline: 'sequential',
});
