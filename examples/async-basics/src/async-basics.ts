// The notes' coroutines and tasks, in TypeScript.
//
// An async function is Node's coroutine: calling it runs it up to its first
// await and returns a promise (the notes' "something like a function that it
// can start and that will end at some point"). The three ways below differ
// only in when each say_after is started; each prints, as the notes' main()
// does, when it started and when it finished.
import { inspect } from 'node:util';
import { sleep } from '@lab/harness';
import { clock, type SayOptions, sayAfter } from './say-after.ts';
import { TaskGroup } from './task-group.ts';

/** await one, then the other: about 1 + 2 = 3 seconds. */
export async function sequential(options: SayOptions): Promise<void> {
  options.say(`started at ${clock()}`);
  await sayAfter(1, 'hello', options);
  await sayAfter(2, 'world', options);
  options.say(`finished at ${clock()}`);
}

/** start both, then await: about max(1, 2) = 2 seconds (the notes' create_task). */
export async function concurrent(options: SayOptions): Promise<void> {
  options.say(`started at ${clock()}`);
  const task1 = sayAfter(1, 'hello', options); // running from here on
  const task2 = sayAfter(2, 'world', options); // and this one too, at the same time
  await task1;
  await task2;
  options.say(`finished at ${clock()}`);
}

/** the same in a task group (the notes' TaskGroup): leaving the block waits for both. */
export async function group(options: SayOptions): Promise<void> {
  options.say(`started at ${clock()}`);
  {
    await using tg = new TaskGroup(options.signal);
    tg.create((signal) => sayAfter(1, 'hello', { ...options, signal }));
    tg.create((signal) => sayAfter(2, 'world', { ...options, signal }));
  } // here, `await using` waits for both tasks, as `async with` does
  options.say(`finished at ${clock()}`);
}

/** The three ways: name, what it does, the function, and the notes' ideal seconds. */
export const ways = [
  ['sequential', 'await say_after(1), then await say_after(2)', sequential, 3],
  ['concurrent', 'start both (create_task), then await each', concurrent, 2],
  ['group', 'a TaskGroup, closed by `await using`', group, 2],
] as const;

/** A task that fails: says so after `delay`, then throws. */
export const failAfter = async (delay: number, options: SayOptions) => {
  await sayAfter(delay, 'failing now', options);
  throw new Error('task failed');
};

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

/**
 * The loop knows every task and its state: three tasks started at once, looked
 * at from outside at 0 s, 1.5 s and 2 s (asyncio's Task.done() and .result()).
 */
export async function watchTasks(options: SayOptions): Promise<void> {
  const task1 = sayAfter(1, 'hello', options);
  const task2 = sayAfter(2, 'world', options);
  const task3 = failAfter(0.5, options);
  task3.catch(() => {}); // handled: its rejection is shown below, not thrown
  const show = (when: string) =>
    options.say(
      `${when}: task1 ${stateOf(task1)}, task2 ${stateOf(task2)}, task3 ${stateOf(task3)}; loop waits on ${JSON.stringify(loopResources())}`,
    );
  show('at 0 s');
  await sleep(1500 * options.scale, options.signal);
  show('at 1.5 s');
  await task2;
  show('at 2 s');
}
