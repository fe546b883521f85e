// The notes' coroutines and tasks, in TypeScript.
//
// An async function is Node's coroutine: calling it runs it up to its first
// await and returns a promise (the notes' "something like a function that it
// can start and that will end at some point"). The three ways below differ
// only in when each say_after is started.
import { inspect } from 'node:util';
import { type SayOptions, sayAfter } from './say-after.ts';
import { TaskGroup } from './task-group.ts';

/** await one, then the other: about 1 + 2 = 3 seconds. */
export async function sequential(options: SayOptions): Promise<void> {
  await sayAfter(1, 'hello', options);
  await sayAfter(2, 'world', options);
}

/** start both, then await: about max(1, 2) = 2 seconds (the notes' create_task). */
export async function concurrent(options: SayOptions): Promise<void> {
  const task1 = sayAfter(1, 'hello', options);
  const task2 = sayAfter(2, 'world', options);
  await task1;
  await task2;
}

/** the same in a task group (the notes' TaskGroup): leaving the block waits for both. */
export async function group(options: SayOptions): Promise<void> {
  await using tg = new TaskGroup();
  tg.create((signal) => sayAfter(1, 'hello', { ...options, signal }));
  tg.create((signal) => sayAfter(2, 'world', { ...options, signal }));
}

/** A task that fails: says so after `delay`, then throws. */
export const failAfter = async (delay: number, options: SayOptions) => {
  await sayAfter(delay, 'failing now', options);
  throw new Error('task failed');
};

/**
 * One of three tasks fails after 0.5 s. The group cancels 'world' (it is
 * never said) and rethrows; Promise.all rejects just as soon but leaves
 * 'world' running, to be said later with nobody waiting for it.
 */
export async function groupWithFailure(options: SayOptions): Promise<unknown> {
  try {
    await using tg = new TaskGroup();
    tg.create((signal) => sayAfter(0.25, 'hello', { ...options, signal }));
    tg.create((signal) => failAfter(0.5, { ...options, signal }));
    tg.create((signal) => sayAfter(2, 'world', { ...options, signal }));
  } catch (error) {
    return error;
  }
  return null;
}

export async function allWithFailure(options: SayOptions): Promise<unknown> {
  try {
    await Promise.all([
      sayAfter(0.25, 'hello', options),
      failAfter(0.5, options),
      sayAfter(2, 'world', options),
    ]);
  } catch (error) {
    return error;
  }
  return null;
}

export async function allSettledWithFailure(options: SayOptions): Promise<string[]> {
  const outcomes = await Promise.allSettled([
    sayAfter(0.25, 'hello', options),
    failAfter(0.5, options),
    sayAfter(2, 'world', options),
  ]);
  return outcomes.map((o) =>
    o.status === 'fulfilled' ? `fulfilled: ${o.value}` : `rejected: ${(o.reason as Error).message}`,
  );
}

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
