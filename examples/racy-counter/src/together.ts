// Start W worker threads and let them go at the same instant.
//
// Starting a thread takes tens of milliseconds; if each began counting as
// soon as it started, the first could finish before the last began, and
// nothing would overlap. So every worker says "ready" and sleeps on the GATE
// cell (Atomics.wait); when all are ready, the main thread opens the gate
// (Atomics.notify) and they run at once, on as many cores as there are.
//
// Every worker is terminated when the run ends, also when one of them throws.
import { Worker } from 'node:worker_threads';
import { GATE } from './shared-memory.ts';

export interface TogetherOptions {
  file: URL;
  workers: number;
  cells: Int32Array;
  /** Passed to each worker as workerData (with `cells` and its index). */
  data: Record<string, unknown>;
}

/** Run the workers together; resolves with what each one answered, in order. */
export async function runTogether<T>(options: TogetherOptions): Promise<T[]> {
  const { file, workers, cells, data } = options;
  const threads = Array.from(
    { length: workers },
    (_, index) => new Worker(file, { workerData: { ...data, cells, index } }),
  );
  try {
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
    // A worker that fails before it is ready rejects its answer: stop waiting then.
    await Promise.race([Promise.all(ready), Promise.all(answers)]);
    // Everyone is ready: open the gate.
    Atomics.store(cells, GATE, 1);
    Atomics.notify(cells, GATE);
    return await Promise.all(answers);
  } finally {
    await Promise.all(threads.map((thread) => thread.terminate()));
  }
}
