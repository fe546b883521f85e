// When one task fails: a task group, Promise.all and Promise.allSettled.
//
// Three tasks: hello after 0.25 s, one that fails at 0.5 s, world after 2 s.
// The group cancels 'world' (it is never said) and rethrows; Promise.all
// rejects just as soon but leaves 'world' running, to be said later with
// nobody waiting for it; Promise.allSettled waits for all three.
//
//   pnpm --filter async-basics exec node src/failures.ts
import { sleep } from '@lab/harness';
import { failAfter, type SayOptions, sayAfter } from './say-after.ts';
import { TaskGroup } from './task-group.ts';

export async function groupWithFailure(options: SayOptions = {}): Promise<unknown> {
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

export async function allWithFailure(options: SayOptions = {}): Promise<unknown> {
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

export async function allSettledWithFailure(options: SayOptions = {}): Promise<string[]> {
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
export async function whenOneFails(options: SayOptions = {}): Promise<void> {
  console.log('TaskGroup:');
  const rethrown = (await groupWithFailure(options)) as Error;
  console.log(`  rethrew: ${rethrown.message}; world was cancelled`);
  console.log('Promise.all:');
  const rejected = (await allWithFailure(options)) as Error;
  console.log(`  rejected: ${rejected.message}; world still running...`);
  await sleep(1600 * (options.scale ?? 1), options.signal); // 'world' is said in here, to nobody
  console.log('Promise.allSettled:');
  for (const outcome of await allSettledWithFailure(options)) console.log(`  ${outcome}`);
}

if (import.meta.main) {
  const start = performance.now();
  await whenOneFails();
  console.log(`took ${((performance.now() - start) / 1000).toFixed(2)} s`);
}
