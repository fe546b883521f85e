// A mutex in one Int32 cell of shared memory, for worker threads.
//
// 0 means unlocked, 1 locked, 2 locked with someone waiting. Taking it is one
// compare-and-swap when nobody holds it; a thread that finds it held marks it
// 2 and sleeps in Atomics.wait (no spinning, no CPU burned) until the holder
// lets go and wakes one sleeper with Atomics.notify. This is the classic
// futex mutex (Drepper, "Futexes Are Tricky", mutex #2).
//
// Atomics.wait may not block the main thread (it would freeze the event
// loop), so only workers take this lock.

export function lock(cells: Int32Array, at: number): void {
  let state = Atomics.compareExchange(cells, at, 0, 1);
  if (state === 0) return; // it was free: ours now
  if (state !== 2) state = Atomics.exchange(cells, at, 2);
  while (state !== 0) {
    Atomics.wait(cells, at, 2); // sleep while it is held
    state = Atomics.exchange(cells, at, 2);
  }
}

export function unlock(cells: Int32Array, at: number): void {
  // Someone may be waiting (state was 2): free it and wake one of them.
  if (Atomics.sub(cells, at, 1) !== 1) {
    Atomics.store(cells, at, 0);
    Atomics.notify(cells, at, 1);
  }
}
