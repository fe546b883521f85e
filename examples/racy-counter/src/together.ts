// Start W worker threads and let them go at the same instant.
//
// Starting a thread takes tens of milliseconds; if each began counting as
// soon as it started, the first could be done before the last began, and
// nothing would overlap. So every worker says "ready" and sleeps on the GATE
// cell (Atomics.wait); when all are ready, the main thread opens the gate
// (Atomics.notify) and they run at once, on as many cores as there are.
//
// Every worker is terminated when the run ends: when one throws or exits
// early, and when the signal aborts (Ctrl-C). terminate() stops a thread
// wherever it is, also asleep in Atomics.wait or in the middle of its loop.
import { Worker } from 'node:worker_threads';
import { stopwatch } from '@lab/harness';
import { GATE } from './shared-memory.ts';

export interface TogetherOptions {
  file: URL;
  workers: number;
  cells: Int32Array;
  /** Passed to each worker as workerData, with `cells` and its `index`. */
  data: Record<string, unknown>;
  signal?: AbortSignal | undefined;
}

export interface Together<T> {
  /** What each worker answered, in order. */
  answers: T[];
  /** From opening the gate to the last answer: the time spent counting, without thread startup. */
  countMs: number;
}

/** Run the workers together, and time them from the moment they may go. */
export async function runTogether<T>(options: TogetherOptions): Promise<Together<T>> {
  const { file, workers, cells, data, signal } = options;
  signal?.throwIfAborted();
  const threads = Array.from(
    { length: workers },
    (_, index) => new Worker(file, { workerData: { ...data, cells, index } }),
  );
  let onAbort = () => {};
  try {
    // Each thread settles once: with its answer, or with why it stopped.
    const answers = threads.map(
      (thread, index) =>
        new Promise<T>((resolve, reject) => {
          thread.on('message', (message: { done?: T }) => {
            if (message.done !== undefined) resolve(message.done);
          });
          thread.on('error', (error) =>
            reject(new Error(`worker ${index} threw: ${error.message}`)),
          );
          thread.on('exit', (code) =>
            reject(new Error(`worker ${index} exited with code ${code}`)),
          );
        }),
    );
    const ready = threads.map(
      (thread) => new Promise((resolve) => thread.once('message', resolve)),
    );
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    // A worker that fails before it is ready rejects its answer: stop waiting then.
    await Promise.race([Promise.all(ready), Promise.all(answers), aborted]);
    // Everyone is ready: open the gate.
    const clock = stopwatch();
    Atomics.store(cells, GATE, 1);
    Atomics.notify(cells, GATE);
    const all = await Promise.race([Promise.all(answers), aborted]);
    return { answers: all, countMs: clock.elapsedMs() };
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await Promise.all(threads.map((thread) => thread.terminate()));
  }
}
