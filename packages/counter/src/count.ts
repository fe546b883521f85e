// What every count, racy or fixed, takes and gives back.

export interface Count {
  expected: number;
  actual: number;
  /** Time spent counting: for threads from handing out the work (start-up left out), for tasks all of it. */
  countMs: number;
  /** Threads only: how long the pool's threads took to start, before any counting. */
  startupMs?: number;
}

export interface CountOptions {
  /** Abort to stop the count: every thread is ended, every task stops. */
  signal?: AbortSignal | undefined;
  /** Threads only: the member file each thread runs (tests pass a fixture). */
  file?: URL | undefined;
}

/** One counting function: W threads or tasks, K increments each. */
export type Counter = (
  workers: number,
  increments: number,
  options?: CountOptions,
) => Promise<Count>;

/** One thread's loop: K increments; a number it returns is added to the count. */
export type Loop = (cells: Int32Array, increments: number) => unknown;
