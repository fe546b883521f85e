// Measuring a count from outside: the lesson's count function is called as
// a reader would call it, and its threads are watched through Node's own
// events. `process.on('worker')` hands over every Worker the count starts;
// a thread's first message is its start-up done (it has loaded its code and
// waits at the gate), its last is its count done. So
//
//   startupMs  from the call until every thread has said its first word
//   countMs    from then until the last thread's last word: counting alone
//
// and for a count in async tasks (no thread seen) countMs is the whole call.
import { performance } from 'node:perf_hooks';
import type { Worker } from 'node:worker_threads';
import type { Measurement, Outcome, RunContext, Strategy } from '@lab/harness';

/** A lesson's count: W threads or tasks, K increments each. */
export type Counter = (
  workers: number,
  increments: number,
  options?: { signal?: AbortSignal },
) => Promise<{ expected: number; actual: number }>;

export interface Measured {
  expected: number;
  actual: number;
  countMs: number;
  /** Only when the count ran on threads. */
  startupMs?: number;
}

export async function measureCount(
  count: Counter,
  workers: number,
  increments: number,
  signal?: AbortSignal,
): Promise<Measured> {
  const heard: { first?: number; last?: number }[] = [];
  const onWorker = (worker: Worker) => {
    const thread: { first?: number; last?: number } = {};
    heard.push(thread);
    worker.on('message', () => {
      const now = performance.now();
      thread.first ??= now;
      thread.last = now;
    });
  };
  process.on('worker', onWorker);
  const start = performance.now();
  try {
    const { expected, actual } = await count(workers, increments, { signal });
    const end = performance.now();
    if (heard.length === 0) return { expected, actual, countMs: end - start };
    const started = Math.max(...heard.map((thread) => thread.first ?? end));
    const done = Math.max(...heard.map((thread) => thread.last ?? end));
    return { expected, actual, startupMs: started - start, countMs: done - started };
  } finally {
    process.off('worker', onWorker);
  }
}

const round2 = (ms: number) => Math.round(ms * 100) / 100;

export const opsPerSec = (count: number, ms: number) =>
  ms > 0 ? Math.round(count / (ms / 1000)) : 0;

/** A measured count as a record's fields. */
export function countOutcome(measured: Measured, workers: number): Outcome {
  const { expected, actual, countMs, startupMs } = measured;
  return {
    items: expected,
    workers,
    ...(startupMs === undefined ? {} : { startupMs: round2(startupMs) }),
    countMs: round2(countMs),
    expected,
    actual,
    lost: expected - actual,
    opsPerSec: opsPerSec(expected, countMs),
  };
}

type Sizes = { workers: number; increments: number };
type Extra = (outcome: Outcome, done: readonly Measurement[]) => Record<string, unknown>;

/**
 * A strategy that runs one count (timed) and records it; once the clock has
 * stopped, `extra` adds fields of the program's own from this record and the
 * runs before it.
 */
export function countRun(name: string, count: Counter, sizes: Sizes, extra: Extra): Strategy {
  const { workers, increments } = sizes;
  return {
    name,
    run: async ({ signal }) =>
      countOutcome(await measureCount(count, workers, increments, signal), workers),
    after: async (outcome, { done }: RunContext) => ({ ...outcome, ...extra(outcome, done) }),
  };
}
