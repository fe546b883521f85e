// The notes' three kinds of awaitable, and run_in_executor, in Node terms.
// Anything with a then() method can be awaited; these are the common ones.
//
//   pnpm --filter async-basics exec node src/awaitables.ts
import { scrypt, scryptSync } from 'node:crypto';

/** A promise: what every async function returns (the notes' coroutine and Task in one). */
export async function awaitPromise(): Promise<string> {
  return await Promise.resolve('a promise');
}

/** A thenable: any object with then(); await calls it, as Python calls __await__. */
export async function awaitThenable(): Promise<string> {
  const thenable = {
    // biome-ignore lint/suspicious/noThenProperty: a thenable is the point of this example
    then: (resolve: (value: string) => void) => setTimeout(() => resolve('a thenable'), 10),
  };
  return await thenable;
}

/** A Future: a promise whose resolve() someone else holds (Promise.withResolvers). */
export async function awaitFuture(): Promise<string> {
  const future = Promise.withResolvers<string>();
  setTimeout(() => future.resolve('a future, resolved from outside'), 10);
  return await future.promise;
}

/** The awaitables, said in one line. */
export async function showAwaitables(): Promise<void> {
  console.log(`${await awaitPromise()} · ${await awaitThenable()} · ${await awaitFuture()}`);
}

// The notes' loop.run_in_executor(): a blocking call moved off the loop. The
// same key derivation as scryptSync holds the loop for its whole time; as
// scrypt it runs on libuv's thread pool, and the loop goes on meanwhile.
const hard = { N: 2 ** 16, r: 8, p: 1, maxmem: 256 * 1024 * 1024 };

/** On the loop's own thread: nothing else runs until it returns. */
export const deriveKeyBlocking = (): Buffer => scryptSync('password', 'salt', 64, hard);

/** On libuv's thread pool (run_in_executor): the loop only waits for the callback. */
export const deriveKeyOffloaded = (): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    scrypt('password', 'salt', 64, hard, (error, key) => (error ? reject(error) : resolve(key))),
  );

if (import.meta.main) {
  const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(2)} s`;
  const start = performance.now();
  await showAwaitables();
  const blocking = performance.now();
  console.log(
    `scryptSync, on the loop: a ${deriveKeyBlocking().length}-byte key in ${seconds(blocking)}`,
  );
  const offloaded = performance.now();
  const key = await deriveKeyOffloaded();
  console.log(
    `scrypt, on the thread pool (run_in_executor): a ${key.length}-byte key in ${seconds(offloaded)}`,
  );
  console.log(`took ${seconds(start)}`);
}
