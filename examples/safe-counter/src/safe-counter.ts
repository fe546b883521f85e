// The races of racy-counter, fixed: three ways for threads, one for async.
//
//   atomics          Atomics.add: the read-add-write is one indivisible step.
//   lock             a mutex (./mutex.ts) around the racy version's read
//                    and write: one thread at a time between them.
//   message-passing  share nothing: each thread counts on its own and sends
//                    its total back; the main thread adds up the parts.
//   async-mutex      p-limit(1) around the racy read, await, write: other
//                    tasks still run at the await, but none can enter.
//
// Each is exact on every run; what differs is the cost, which main.ts
// measures as increments per second beside the racy version's.
// (racy-counter's async-no-await needs no fix: with no await between the
// read and the write, no other task can come between them.)
import { stopwatch } from '@lab/harness';
import pLimit from 'p-limit';
import {
  COUNTER,
  type Count,
  type CountOptions,
  eventLoopTurns,
  runTogether,
  sharedCells,
  TURN_EVERY,
} from 'racy-counter';

export type Fix = 'atomics' | 'lock' | 'message-passing';

export async function countWithThreads(
  fix: Fix,
  workers: number,
  increments: number,
  options: CountOptions = {},
): Promise<Count> {
  const { signal, failIn } = options;
  const cells = sharedCells();
  const file = new URL('./counter-worker.ts', import.meta.url);
  const { answers: parts, countMs } = await runTogether<number>({
    file,
    workers,
    cells,
    data: { increments, failIn, fix },
    signal,
  });
  // The threads are gone. With message passing the count is the sum of the
  // parts they sent; with the other fixes it is what they left in the cell.
  const actual =
    fix === 'message-passing'
      ? parts.reduce((sum, part) => sum + part, 0)
      : Atomics.load(cells, COUNTER);
  return { expected: workers * increments, actual, countMs };
}

export async function countWithAsyncMutex(
  tasks: number,
  increments: number,
  options: CountOptions = {},
): Promise<Count> {
  let counter = 0;
  const clock = stopwatch();
  const turn = eventLoopTurns(options.signal);
  const mutex = pLimit(1);
  const task = async () => {
    for (let i = 0; i < increments; i++) {
      if (i % TURN_EVERY === 0) await turn(i);
      await mutex(async () => {
        const value = counter; // read
        await null; // the other tasks run here, but none can enter the mutex
        counter = value + 1; // write: nobody wrote in between
      });
    }
  };
  await Promise.all(Array.from({ length: tasks }, task));
  return { expected: tasks * increments, actual: counter, countMs: clock.elapsedMs() };
}
