// Two ways to lose updates, and one way that looks racy but is not.
//
//   threads           W threads share one counter and each does counter++ K
//                     times. The operating system runs them on different
//                     cores at once, so reads and writes interleave and
//                     updates are lost: the notes' race, for real.
//   async-await-race  T async tasks on one thread each do: read, await,
//                     write. Every task reads before any writes, so each
//                     round adds 1, not T. Nothing is pre-empted: the loss is
//                     written into the code, at the await.
//   async-no-await    T async tasks each do counter += 1 with no await in
//                     between: exact, because a task gives up the thread only
//                     at an await (the notes: "tasks never give up control
//                     without intentionally doing so").

import { COUNTER, sharedCells } from './shared-memory.ts';
import { runTogether } from './together.ts';

export interface Count {
  expected: number;
  actual: number;
}

export async function countWithThreads(workers: number, increments: number): Promise<Count> {
  const cells = sharedCells();
  const file = new URL('./counter-worker.ts', import.meta.url);
  await runTogether({ file, workers, cells, data: { increments } });
  return { expected: workers * increments, actual: Atomics.load(cells, COUNTER) };
}

export async function countWithAsyncAwait(tasks: number, increments: number): Promise<Count> {
  let counter = 0;
  const task = async () => {
    for (let i = 0; i < increments; i++) {
      const value = counter; // read
      await null; // give the other tasks their turn: they all read the same value
      counter = value + 1; // write back a stale value + 1
    }
  };
  await Promise.all(Array.from({ length: tasks }, task));
  return { expected: tasks * increments, actual: counter };
}

export async function countWithoutAwait(tasks: number, increments: number): Promise<Count> {
  let counter = 0;
  const task = async () => {
    for (let i = 0; i < increments; i++) {
      counter += 1; // no await in between: no other task can run here
    }
  };
  await Promise.all(Array.from({ length: tasks }, task));
  return { expected: tasks * increments, actual: counter };
}
