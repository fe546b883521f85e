// The loop knows every task and its state: three tasks started at once,
// looked at from outside at 0 s, 1.5 s and 2 s. asyncio's Task.done() and
// .result() are this; in Node, util.inspect shows a promise's state, and
// process.getActiveResourcesInfo() what the loop itself is waiting on.
//
//   pnpm --filter async-basics exec node src/task-states.ts
import { inspect } from 'node:util';
import { sleep } from '@lab/harness';
import { failAfter, type SayOptions, sayAfter } from './say-after.ts';

/** A promise's state as Node shows it: <pending>, a value, or <rejected>. */
export const stateOf = (promise: Promise<unknown>) =>
  inspect(promise)
    .replace(/^Promise \{\s*/, '')
    .replace(/\s*\}$/, '')
    .split('\n')[0]; // a rejected promise shows its error's first line, not the stack

/** What the event loop is waiting on right now (timers, sockets, ...), by kind. */
export function loopResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

export async function watchTasks(options: SayOptions = {}): Promise<void> {
  const task1 = sayAfter(1, 'hello', options);
  const task2 = sayAfter(2, 'world', options);
  const task3 = failAfter(0.5, options);
  task3.catch(() => {}); // handled: its rejection is shown below, not thrown
  const show = (when: string) =>
    console.log(
      `${when}: task1 ${stateOf(task1)}, task2 ${stateOf(task2)}, task3 ${stateOf(task3)}; loop waits on ${JSON.stringify(loopResources())}`,
    );
  show('at 0 s');
  await sleep(1500 * (options.scale ?? 1), options.signal);
  show('at 1.5 s');
  await task2;
  show('at 2 s');
}

if (import.meta.main) {
  const start = performance.now();
  await watchTasks();
  console.log(`took ${((performance.now() - start) / 1000).toFixed(2)} s`);
}
