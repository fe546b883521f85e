// The clock every example uses: performance.now() is monotonic (it never jumps
// back when the wall clock is adjusted) and has sub-millisecond resolution.
import { performance } from 'node:perf_hooks';

export interface Timed<T> {
  value: T;
  wallMs: number;
}

/** Run fn once and measure how long it took, in milliseconds. */
export async function timed<T>(fn: () => Promise<T> | T): Promise<Timed<T>> {
  const start = performance.now();
  const value = await fn();
  return { value, wallMs: performance.now() - start };
}

/** A stopwatch for code that cannot be wrapped in one function. */
export function stopwatch(): { elapsedMs(): number } {
  const start = performance.now();
  return { elapsedMs: () => performance.now() - start };
}

/** A promise that resolves after ms, or rejects when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * What `start` begins, given at most `ms`: past that its signal is aborted
 * with an error naming `what`, and `start` must stop waiting (take its
 * listeners off) and reject; `within` rejects with that error. Either way
 * the timer goes: nothing of the wait outlives it. (A Promise.race against a
 * timer would leave the loser running, its listeners attached.)
 */
export async function within<T>(
  ms: number,
  what: string,
  start: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Error(`${what} took longer than ${ms / 1000} s`)),
    ms,
  );
  try {
    return await start(controller.signal);
  } catch (error) {
    // However `start` said it stopped (an AbortError, its own reason), the timeout is why.
    throw controller.signal.aborted ? controller.signal.reason : error;
  } finally {
    clearTimeout(timer);
  }
}
