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
import { COUNTER, countInTasks, countOnThreads, LOCK } from '@lab/counter';
import pLimit from 'p-limit';

const counterWorker = new URL('./counter-worker.ts', import.meta.url);

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
export const countWithAtomics = countOnThreads('atomics', counterWorker);
/** W threads run incrementLocked at once on one shared counter. */
export const countWithLock = countOnThreads('lock', counterWorker);
/** W threads run incrementOwn at once; the count is the sum of what they send. */
export const countWithMessages = countOnThreads('message-passing', counterWorker);

const mutex = pLimit(1); // one at a time inside

/** T tasks, each K times: read, await, write, inside p-limit(1). */
export const countWithAsyncMutex = countInTasks((shared) =>
  mutex(async () => {
    const value = shared.counter; // read
    await null; // the other tasks run here, but none can enter the mutex
    shared.counter = value + 1; // write: nobody wrote in between
  }),
);
