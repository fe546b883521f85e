// Two ways to lose updates, and one way that looks racy but is not.
//
//   threads           W threads share one counter; each reads it and writes
//                     back one more, K times. The operating system runs them
//                     on different cores at once (or switches between them
//                     at any instant), so one thread's write lands between
//                     another's read and write and is overwritten: the
//                     notes' race, for real.
//   async-await-race  T async tasks on one thread each do: read, await,
//                     write. Every task reads before any of them writes, so
//                     each round adds 1, not T: the count ends at exactly K.
//                     Nothing is pre-empted; the loss is written into the
//                     code, at the await.
//   async-no-await    T async tasks each do counter += 1 with no await in
//                     between: exact, because a task gives up the thread
//                     only at an await (the notes: "tasks never give up
//                     control without intentionally doing so").
//
// The threads come from the shared pool and wait at a gate until all have
// started, so their loops really overlap (@lab/counter: cells.ts, threads.ts).
import { COUNTER, countInTasks, countOnThreads } from '@lab/counter';

const counterWorker = new URL('./counter-worker.ts', import.meta.url);

/**
 * One thread's loop. Why not a plain `cells[COUNTER] += 1`? It races too,
 * but V8 may read the cell once and keep the count in a register. Atomics.load
 * and Atomics.store make each read and each write a real access to shared
 * memory: each step is whole, like one bytecode under the GIL, and nothing
 * holds the two together.
 */
export function incrementShared(cells: Int32Array, increments: number): void {
  for (let i = 0; i < increments; i++) {
    const value = Atomics.load(cells, COUNTER); // read
    Atomics.store(cells, COUNTER, value + 1); // write: the value read may be stale by now
  }
}

/** W threads run incrementShared at once on one shared counter. */
export const countWithThreads = countOnThreads('racy', counterWorker);

/** T tasks, each K times: read, await, write. */
export const countWithAsyncAwait = countInTasks(async (shared) => {
  const value = shared.counter; // read
  await null; // the other tasks run here, and read the same value
  shared.counter = value + 1; // write back a stale value + 1
});

/** T tasks, each K times: counter += 1, with no await in it. */
export const countWithoutAwait = countInTasks((shared) => {
  shared.counter += 1; // read, add, write with no await between: no other task can run here
});
