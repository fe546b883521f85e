// Two ways to lose updates, and one way that looks racy but is not.
//
//   threads           W threads share one counter; each reads it and writes
//                     back one more, K times. The operating system runs
//                     them on different cores at once (or switches between
//                     them at any instant), so one thread's write lands
//                     between another's read and write and is overwritten:
//                     the notes' race, for real.
//   async-await-race  T async tasks on one thread each do: read, await,
//                     write. Every task reads before any of them writes, so
//                     each round adds 1, not T: the count ends at exactly K.
//                     Nothing is pre-empted; the loss is written into the
//                     code, at the await.
//   async-no-await    T async tasks each do counter += 1 with no await in
//                     between: exact, because a task gives up the thread only
//                     at an await (the notes: "tasks never give up control
//                     without intentionally doing so").
import { stopwatch } from '@lab/harness';
import type { Count, CountOptions } from './count.ts';
import { COUNTER, sharedCells } from './shared-memory.ts';
import { runTogether } from './together.ts';
import { eventLoopTurns, TURN_EVERY } from './turns.ts';

export async function countWithThreads(
  workers: number,
  increments: number,
  options: CountOptions = {},
): Promise<Count> {
  const { signal, failIn } = options;
  const cells = sharedCells();
  const file = new URL('./counter-worker.ts', import.meta.url);
  const { countMs } = await runTogether<number>({
    file,
    workers,
    cells,
    data: { increments, failIn },
    signal,
  });
  // The threads are gone; what they left in the shared cell is the count.
  return { expected: workers * increments, actual: Atomics.load(cells, COUNTER), countMs };
}

export async function countWithAsyncAwait(
  tasks: number,
  increments: number,
  options: CountOptions = {},
): Promise<Count> {
  let counter = 0;
  const clock = stopwatch();
  const turn = eventLoopTurns(options.signal);
  const task = async () => {
    for (let i = 0; i < increments; i++) {
      if (i % TURN_EVERY === 0) await turn(i);
      const value = counter; // read
      await null; // the other tasks run here, and read the same value
      counter = value + 1; // write back a stale value + 1
    }
  };
  await Promise.all(Array.from({ length: tasks }, task));
  return { expected: tasks * increments, actual: counter, countMs: clock.elapsedMs() };
}

export async function countWithoutAwait(
  tasks: number,
  increments: number,
  options: CountOptions = {},
): Promise<Count> {
  let counter = 0;
  const clock = stopwatch();
  const turn = eventLoopTurns(options.signal);
  const task = async () => {
    for (let i = 0; i < increments; i++) {
      if (i % TURN_EVERY === 0) await turn(i);
      counter += 1; // read, add, write with no await between: no other task can run here
    }
  };
  await Promise.all(Array.from({ length: tasks }, task));
  return { expected: tasks * increments, actual: counter, countMs: clock.elapsedMs() };
}
