// What every count, racy or fixed, takes and gives back.

export interface Count {
  expected: number;
  actual: number;
  /** Time spent counting: for threads from the gate opening (startup left out), for tasks all of it. */
  countMs: number;
}

export interface CountOptions {
  /** Abort to stop the count: every thread is terminated, every task stops. */
  signal?: AbortSignal;
  /** Tests only: the thread with this index throws before it is ready. */
  failIn?: number;
}
