// The notes' say_after(): wait `delay` seconds, then print `what`.
//
// `scale` shrinks the notes' seconds (tests run at 0.05); `signal` lets a
// task group cancel it mid-wait, which is what asyncio does to a Task by
// raising CancelledError at its await.
//
//   pnpm --filter async-basics exec node src/say-after.ts
import { sleep } from '@lab/harness';

export interface SayOptions {
  /** Multiplies the notes' seconds (1: the notes' own). */
  scale?: number;
  signal?: AbortSignal;
}

export async function sayAfter(delay: number, what: string, options: SayOptions = {}) {
  await sleep(delay * 1000 * (options.scale ?? 1), options.signal);
  console.log(what);
  return what;
}

/** say_after's failing twin: says so after `delay`, then throws. */
export async function failAfter(delay: number, options: SayOptions = {}): Promise<never> {
  await sayAfter(delay, 'failing now', options);
  throw new Error('task failed');
}

/** The notes' time.strftime('%X'): the time of day. */
export const clock = () => new Date().toTimeString().slice(0, 8);

// The notes' main(): awaiting say_after twice, about 1 + 2 = 3 seconds.
if (import.meta.main) {
  const start = performance.now();
  console.log(`started at ${clock()}`);
  await sayAfter(1, 'hello');
  await sayAfter(2, 'world');
  console.log(`finished at ${clock()}`);
  console.log(`took ${((performance.now() - start) / 1000).toFixed(2)} s`);
}
