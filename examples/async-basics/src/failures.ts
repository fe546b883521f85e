// When one task fails: a task group, Promise.all and Promise.allSettled.
//
// Three tasks: hello after 0.25 s, one that fails at 0.5 s, world after 2 s.
// The group cancels 'world' (it is never said) and rethrows; Promise.all
// rejects just as soon but leaves 'world' running, to be said later with
// nobody waiting for it; Promise.allSettled waits for all three.
import { sleep } from '@lab/harness';
import { failAfter } from './async-basics.ts';
import { type SayOptions, sayAfter } from './say-after.ts';
import { TaskGroup } from './task-group.ts';

export async function groupWithFailure(options: SayOptions): Promise<unknown> {
  try {
    await using tg = new TaskGroup(options.signal);
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

/** The three, one after another, each said as it happens. */
export async function whenOneFails(options: SayOptions): Promise<void> {
  const { say } = options;
  say('TaskGroup:');
  say(`  rethrew: ${((await groupWithFailure(options)) as Error).message}; world was cancelled`);
  say('Promise.all:');
  say(`  rejected: ${((await allWithFailure(options)) as Error).message}; world still running...`);
  await sleep(1600 * options.scale, options.signal); // 'world' is said in here, to nobody
  say('Promise.allSettled:');
  for (const outcome of await allSettledWithFailure(options)) say(`  ${outcome}`);
}
