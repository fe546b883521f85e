// Completion order, the first to finish, and the first to succeed.
//
// asyncio.as_completed() hands results over in the order they finish;
// asyncio.wait(return_when=FIRST_COMPLETED) the first to finish, failures
// included; Node has Promise.race for the second, Promise.any for the first
// *success*, and no completion-order iterator: asCompleted below is one, in a
// few lines (no package needed for this much; p-event and it-* packages bring
// more than it uses).
//
//   pnpm --filter timeouts-and-cancellation exec node src/completion.ts

/**
 * asyncio.as_completed: promises that settle in finish order; the first
 * settles with whichever task finishes first, failures included. Await each
 * in turn, as Python's `for aw in as_completed(...): await aw` does; or
 * `for await (const value of asCompleted(tasks))`, which stops at a failure.
 */
export function asCompleted<T>(promises: Iterable<Promise<T>>): Promise<T>[] {
  const list = [...promises];
  const slots = list.map(() => Promise.withResolvers<T>());
  let next = 0;
  for (const promise of list) {
    promise.then(
      (value) => slots[next++]!.resolve(value),
      (error: unknown) => slots[next++]!.reject(error),
    );
  }
  return slots.map((slot) => slot.promise);
}

/** A task that answers (or fails) after ms. */
export const after = <T>(ms: number, value: T, fails = false): Promise<T> =>
  new Promise((resolve, reject) =>
    setTimeout(() => (fails ? reject(new Error(String(value))) : resolve(value)), ms),
  );

/** Three tasks: 'slow' (30 ms), 'fails' (10 ms, an error), 'medium' (20 ms). */
export const threeTasks = (unit = 10) => [
  after(3 * unit, 'slow'),
  after(1 * unit, 'fails', true),
  after(2 * unit, 'medium'),
];

/** The same three tasks, each way; one line each. */
export async function completionOrder(unit = 10): Promise<string[]> {
  const order: string[] = [];
  for (const next of asCompleted(threeTasks(unit))) {
    order.push(await next.catch((error: Error) => `${error.message} (error)`));
  }
  const race = await Promise.race(threeTasks(unit)).catch((e: Error) => `${e.message} (error)`);
  const any = await Promise.any(threeTasks(unit));
  await after(3 * unit, null); // let the losers finish: nothing left running
  return [
    `asCompleted (as_completed): ${order.join(', ')}`,
    `Promise.race (wait FIRST_COMPLETED): ${race}`,
    `Promise.any (first success): ${any}`,
  ];
}

if (import.meta.main) {
  const start = performance.now();
  for (const line of await completionOrder()) console.log(line);
  console.log(`took ${((performance.now() - start) / 1000).toFixed(2)} s`);
}
