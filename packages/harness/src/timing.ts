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
