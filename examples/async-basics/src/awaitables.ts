// The notes' three kinds of awaitable, and run_in_executor, in Node terms.
// Anything with a then() method can be awaited; these are the common ones.
import { scrypt, scryptSync } from 'node:crypto';
import { sleep } from '@lab/harness';

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

const scryptAsync = (password: string, salt: string, length: number, options: typeof hard) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(password, salt, length, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
const hard = { N: 2 ** 16, r: 8, p: 1, maxmem: 256 * 1024 * 1024 };

/** Count 5 ms heartbeats while a task runs: how free the loop stays. */
async function heartbeatsDuring(task: () => Promise<unknown> | unknown): Promise<number> {
  let beats = 0;
  const timer = setInterval(() => {
    beats += 1;
  }, 5);
  await task();
  await sleep(0);
  clearInterval(timer);
  return beats;
}

/**
 * The notes' loop.run_in_executor(): a blocking call moved off the loop. The
 * same key derivation as scryptSync (blocks the loop) and as scrypt (runs on
 * libuv's thread pool while the loop keeps ticking).
 */
export async function blockingVersusExecutor(): Promise<{ blocked: number; offloaded: number }> {
  const blocked = await heartbeatsDuring(() => scryptSync('password', 'salt', 64, hard));
  const offloaded = await heartbeatsDuring(() => scryptAsync('password', 'salt', 64, hard));
  return { blocked, offloaded };
}

/** The awaitables, said in one line, and run_in_executor in another. */
export async function showAwaitables(options: { say: (line: string) => void }): Promise<void> {
  options.say(`${await awaitPromise()} · ${await awaitThenable()} · ${await awaitFuture()}`);
  const { blocked, offloaded } = await blockingVersusExecutor();
  options.say(
    `run_in_executor: heartbeats (every 5 ms) during scryptSync ${blocked}, during scrypt on the thread pool ${offloaded}`,
  );
}
