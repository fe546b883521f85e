// The races of racy-counter, fixed three ways for threads and one for async.
//
//   atomics          Atomics.add: the read-add-write is one indivisible step
//   lock             a mutex around the plain += 1: one thread at a time
//   message-passing  share nothing: each thread counts on its own, and the
//                    main thread adds up the totals they send back
//   async-mutex      p-limit(1) around read, await, write: one task at a time
//                    between its read and its write
//
// Each is exact on every run; what differs is the cost, which the summary
// shows as increments per second beside the racy version's.

import pLimit from 'p-limit';
import { COUNTER, type Count, runTogether, sharedCells } from 'racy-counter';

type Fix = 'atomics' | 'lock' | 'message-passing';

async function countWith(fix: Fix, workers: number, increments: number): Promise<Count> {
  const cells = sharedCells();
  const file = new URL('./counter-worker.ts', import.meta.url);
  const parts = await runTogether<number>({ file, workers, cells, data: { increments, fix } });
  // Message passing: the total is the sum of the parts; otherwise it is the shared counter.
  const actual =
    fix === 'message-passing'
      ? parts.reduce((sum, part) => sum + part, 0)
      : Atomics.load(cells, COUNTER);
  return { expected: workers * increments, actual };
}

export const countWithAtomics = (workers: number, increments: number) =>
  countWith('atomics', workers, increments);
export const countWithLock = (workers: number, increments: number) =>
  countWith('lock', workers, increments);
export const countWithMessages = (workers: number, increments: number) =>
  countWith('message-passing', workers, increments);

export async function countWithAsyncMutex(tasks: number, increments: number): Promise<Count> {
  let counter = 0;
  const mutex = pLimit(1);
  const task = async () => {
    for (let i = 0; i < increments; i++) {
      await mutex(async () => {
        const value = counter; // read
        await null; // other tasks run here, but none can enter the mutex
        counter = value + 1; // write: nobody else wrote in between
      });
    }
  };
  await Promise.all(Array.from({ length: tasks }, task));
  return { expected: tasks * increments, actual: counter };
}
