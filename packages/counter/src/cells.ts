// The memory the counting threads share, and the gate that starts them together.
//
// One SharedArrayBuffer, seen by every thread as the same Int32Array. A plain
// Array or a number would be copied into each worker; only a
// SharedArrayBuffer is the same bytes in all of them, which is what makes a
// race (and Atomics) possible at all.
//
//   COUNTER  the counter the threads increment
//   LOCK     the mutex word of safe-counter's lock (unused by the race)
//   ARRIVED  how many threads have reached the gate
//   GATE     0 while the threads wait to start together, 1 once they may go
export const COUNTER = 0;
export const LOCK = 1;
export const ARRIVED = 2;
export const GATE = 3;

export function sharedCells(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT));
}

/** What every counting thread is given (the pool's workerData). */
export interface CounterData {
  cells: Int32Array;
  /** How many threads count: the gate opens when all of them have arrived. */
  workers: number;
  /** How many increments each thread makes. */
  increments: number;
}

/**
 * The gate: a barrier every thread calls before its loop. Starting a thread
 * takes tens of milliseconds; if each began counting as soon as it started,
 * the first could be done before the last began and nothing would overlap.
 * So each thread counts itself in (Atomics.add) and sleeps on the GATE cell
 * (Atomics.wait, which burns no CPU); the last one to arrive opens the gate
 * and wakes them all (Atomics.notify). From here the loops run at once, on as
 * many cores as there are.
 */
export function waitForAll(cells: Int32Array, workers: number): void {
  if (Atomics.add(cells, ARRIVED, 1) === workers - 1) {
    Atomics.store(cells, GATE, 1); // the last one in opens the gate
    Atomics.notify(cells, GATE);
  } else {
    Atomics.wait(cells, GATE, 0); // sleep while the gate reads 0
  }
}
