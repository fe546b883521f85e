// The races of racy-counter, fixed: three ways for threads, one for async.
//
//   atomics          Atomics.add: the read-add-write is one indivisible step.
//   lock             a mutex around the racy version's read and write: one
//                    thread at a time between them.
//   message-passing  share nothing: each thread counts on its own and sends
//                    its total back; the count is the sum of the parts.
//   async-mutex      p-limit(1) around the racy read, await, write: other
//                    tasks still run at the await, but none can enter.
//
// Each is exact on every run; what differs is the cost, which main.ts
// measures as increments per second beside the racy version's.
// (racy-counter's async-no-await needs no fix: with no await between the
// read and the write, no other task can come between them.)
//
//   pnpm --filter safe-counter exec node src/safe-counter.ts
import { Worker } from 'node:worker_threads';
import pLimit from 'p-limit';
// The threads' start at the gate, the async tasks and the program are
// racy-counter's: only what fixes the race is new here.
import { type Count, inTasks, printCounts, startTogether, type ThreadData } from 'racy-counter';

// The memory the threads share: one SharedArrayBuffer, seen by every thread
// as the same Int32Array, laid out as racy-counter's (the counter, then the
// gate its threads wait at), with the lock's word after them.
const COUNTER = 0; // the counter the threads increment
const LOCK = 2; // the lock's word: 0 free, 1 held, 2 held and someone may be asleep

/** One thread's loop, fixed with Atomics.add: read, add and write as one step no thread can come between. */
export function incrementAtomically(cells: Int32Array, increments: number): void {
  for (let i = 0; i < increments; i++) {
    Atomics.add(cells, COUNTER, 1); // read + write, indivisible
  }
}

/** One thread's loop, fixed with a lock: the racy read and write, one thread at a time. */
export function incrementLocked(cells: Int32Array, increments: number): void {
  for (let i = 0; i < increments; i++) {
    lock(cells);
    const value = Atomics.load(cells, COUNTER); // read
    Atomics.store(cells, COUNTER, value + 1); // write: nobody wrote in between
    unlock(cells);
  }
}

/** One thread's loop, fixed by sharing nothing: count in a variable of its own, send the total. */
export function incrementOwn(_cells: Int32Array, increments: number): number {
  let mine = 0;
  for (let i = 0; i < increments; i++) {
    mine += 1; // nobody else can see this variable
  }
  return mine; // sent back to the main thread in a message
}

// The lock: one Int32 cell, 0 free, 1 held, 2 held and someone may be asleep
// (Drepper's futex mutex, "Futexes Are Tricky", with a spin in front). The
// holder keeps it for one read and one write, a few nanoseconds, so a thread
// first tries SPINS times to take it (compareExchange 0 -> 1); if it is still
// held (its holder switched out), the thread marks it 2 and sleeps in
// Atomics.wait, burning no CPU, until unlock wakes one sleeper. Atomics.wait
// may not block the main thread, so only workers take this lock.
export const SPINS = 100;

export function lock(cells: Int32Array): void {
  for (let spin = 0; spin < SPINS; spin++) {
    if (Atomics.compareExchange(cells, LOCK, 0, 1) === 0) return; // it was free: ours now
  }
  while (Atomics.exchange(cells, LOCK, 2) !== 0) Atomics.wait(cells, LOCK, 2);
}

export function unlock(cells: Int32Array): void {
  // 1 -> 0: nobody was waiting. 2 -> 1 -> 0 and a wake-up: someone may be asleep.
  if (Atomics.sub(cells, LOCK, 1) !== 1) {
    Atomics.store(cells, LOCK, 0);
    Atomics.notify(cells, LOCK, 1);
  }
}

/** W threads run incrementAtomically at once on one shared counter. */
export async function countWithAtomics(
  workers: number,
  increments: number,
  options: { signal?: AbortSignal } = {},
): Promise<Count> {
  const worker = new URL('./atomics-worker.ts', import.meta.url);
  return countOnThreads(worker, workers, increments, options.signal);
}

/** W threads run incrementLocked at once on one shared counter. */
export async function countWithLock(
  workers: number,
  increments: number,
  options: { signal?: AbortSignal } = {},
): Promise<Count> {
  const worker = new URL('./lock-worker.ts', import.meta.url);
  return countOnThreads(worker, workers, increments, options.signal);
}

/** W threads run incrementOwn at once; the count is the sum of what they send. */
export async function countWithMessages(
  workers: number,
  increments: number,
  options: { signal?: AbortSignal } = {},
): Promise<Count> {
  const worker = new URL('./message-passing-worker.ts', import.meta.url);
  return countOnThreads(worker, workers, increments, options.signal);
}

/**
 * The main thread's side, as racy-counter's: W threads of the worker file,
 * all given the same cells, started together at its gate.
 */
async function countOnThreads(
  worker: URL,
  workers: number,
  increments: number,
  signal?: AbortSignal,
): Promise<Count> {
  signal?.throwIfAborted();
  const cells = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
  const workerData: ThreadData = { cells, increments };
  const threads = Array.from({ length: workers }, () => new Worker(worker, { workerData }));
  const sent = await startTogether(threads, cells, signal);
  // The count: what the threads left in the shared cell, plus what they sent back.
  const parts = sent.reduce<number>((sum, part) => sum + (typeof part === 'number' ? part : 0), 0);
  return { expected: workers * increments, actual: Atomics.load(cells, COUNTER) + parts };
}

/** T tasks at once, each K times: read, await, write, inside p-limit(1). */
export async function countWithAsyncMutex(
  tasks: number,
  increments: number,
  options: { signal?: AbortSignal } = {},
): Promise<Count> {
  let counter = 0;
  const mutex = pLimit(1); // one task at a time inside
  const readAwaitWrite = () =>
    mutex(async () => {
      const value = counter; // read
      await null; // the other tasks run here, but none can enter the mutex
      counter = value + 1; // write: nobody wrote in between
    });
  await inTasks(tasks, increments, readAwaitWrite, options.signal);
  return { expected: tasks * increments, actual: counter };
}

// The program: racy-counter's, with the fixes. No top-level await here
// either: the worker files import this file.
if (import.meta.main) {
  printCounts({
    atomics: countWithAtomics,
    lock: countWithLock,
    'message-passing': countWithMessages,
    'async-mutex': countWithAsyncMutex,
  }).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
