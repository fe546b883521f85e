// Counting on W threads of the shared pool (@lab/pool), all at once.
//
// The pool starts W worker threads and hands each the same shared cells (its
// workerData). Once every thread has said it is ready, each is given one task:
// the name of the loop to run. In the thread (member.ts) the loop first waits
// at the gate for the others (cells.ts), then counts. So `countMs` is the time
// from handing out the tasks to the last answer: counting, start-up left out;
// `startupMs` is the pool's start-up, reported apart.
import { stopwatch } from '@lab/harness';
import { startPool } from '@lab/pool';
import { COUNTER, type CounterData, sharedCells } from './cells.ts';
import type { Counter } from './count.ts';

/**
 * A count on W threads: each runs the loop named `loop` in the member file
 * `file` (which calls serveLoops from '@lab/counter/member').
 */
export function countOnThreads(loop: string, file: URL): Counter {
  return async (workers, increments, options = {}) => {
    const cells = sharedCells();
    const workerData: CounterData = { cells, workers, increments };
    await using pool = await startPool<string, unknown>({
      kind: 'thread',
      file: options.file ?? file,
      size: workers,
      workerData,
      signal: options.signal,
    });
    const clock = stopwatch();
    const { results } = await pool.map(Array.from({ length: workers }, () => loop));
    const countMs = clock.elapsedMs();
    // The count: what the threads left in the shared cell, plus what they sent back.
    const sent = results.reduce<number>(
      (sum, part) => sum + (typeof part === 'number' ? part : 0),
      0,
    );
    const actual = Atomics.load(cells, COUNTER) + sent;
    return { expected: workers * increments, actual, countMs, startupMs: pool.startupMs };
  };
}
