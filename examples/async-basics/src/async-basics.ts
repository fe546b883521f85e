// The notes' coroutines and tasks, in TypeScript: say_after three ways.
//
// An async function is Node's coroutine: calling it runs it up to its first
// await and returns a promise (the notes' "something like a function that it
// can start and that will end at some point"). The three ways below differ
// only in when each say_after is started; each prints, as the notes' main()
// does, when it started and when it finished.
//
//   pnpm --filter async-basics exec node src/async-basics.ts
import { clock, type SayOptions, sayAfter } from './say-after.ts';
import { TaskGroup } from './task-group.ts';

/** await one, then the other: about 1 + 2 = 3 seconds. */
export async function sequential(options: SayOptions = {}): Promise<void> {
  console.log(`started at ${clock()}`);
  await sayAfter(1, 'hello', options);
  await sayAfter(2, 'world', options);
  console.log(`finished at ${clock()}`);
}

/** start both, then await: about max(1, 2) = 2 seconds (the notes' create_task). */
export async function concurrent(options: SayOptions = {}): Promise<void> {
  console.log(`started at ${clock()}`);
  const task1 = sayAfter(1, 'hello', options); // running from here on
  const task2 = sayAfter(2, 'world', options); // and this one too, at the same time
  await task1;
  await task2;
  console.log(`finished at ${clock()}`);
}

/** the same in a task group (the notes' TaskGroup): leaving the block waits for both. */
export async function group(options: SayOptions = {}): Promise<void> {
  console.log(`started at ${clock()}`);
  {
    await using tg = new TaskGroup(options.signal);
    tg.create((signal) => sayAfter(1, 'hello', { ...options, signal }));
    tg.create((signal) => sayAfter(2, 'world', { ...options, signal }));
  } // here, `await using` waits for both tasks, as `async with` does
  console.log(`finished at ${clock()}`);
}

// As python/async_basics.py runs them: each way under its name, then its time.
if (import.meta.main) {
  for (const way of [sequential, concurrent, group]) {
    console.log(`\n${way.name}:`);
    const start = performance.now();
    await way();
    console.log(`${way.name} took ${((performance.now() - start) / 1000).toFixed(2)} s`);
  }
}
