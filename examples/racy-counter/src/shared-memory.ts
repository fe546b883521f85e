// The memory the counter threads share: one SharedArrayBuffer seen by every
// thread as the same Int32Array. Cell COUNTER is the counter; cell GATE
// holds the threads back until all of them are ready; cell LOCK is for
// safe-counter's mutex.
export const COUNTER = 0;
export const GATE = 1;
export const LOCK = 2;

export function sharedCells(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
}
