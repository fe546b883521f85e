// The memory the counter threads share: one SharedArrayBuffer that every
// thread sees as the same Int32Array. A plain Array or a number would be
// copied into each worker; only a SharedArrayBuffer is the same bytes in all
// of them, which is what makes a race (and Atomics) possible at all.
//
//   COUNTER  the counter the threads increment
//   GATE     0 while the threads wait to start together, 1 once they may go
//   LOCK     the mutex word safe-counter's lock lives in (unused here)
export const COUNTER = 0;
export const GATE = 1;
export const LOCK = 2;

export function sharedCells(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
}

/** What a counter thread is given (as workerData). */
export interface CounterData {
  cells: Int32Array;
  increments: number;
  /** This thread's number, 0 .. workers - 1. */
  index: number;
  /** Tests only: the thread with this index throws before it is ready. */
  failIn?: number;
}
