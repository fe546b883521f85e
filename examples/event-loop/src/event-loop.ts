// The same CPU job (@lab/job, shared with cpu-multiprocess), three ways:
//
//   blocking  the job runs on the main thread in one piece. The loop cannot
//             run a timer, answer a socket or notice Ctrl-C until it is done:
//             "tasks never give up control without intentionally doing so".
//   chunked   the job runs in slices, yielding to the loop between them
//             (await setImmediate()). The loop stays responsive; the job takes
//             a little longer, for all the turns it gives away.
//   worker    the job runs on a worker thread. The loop is free the whole
//             time, and the job takes about as long as alone, plus the
//             thread's start-up.
//
//   pnpm --filter event-loop exec node src/event-loop.ts
import { once } from 'node:events';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { makeTasks, runTask, SLICE, sumOfSquaresBetween, type Task } from '@lab/job';
import { startHeartbeat } from './heartbeat.ts';

export async function runBlocking(tasks: readonly Task[]): Promise<string[]> {
  // One call per task, each to the end: the loop waits for all of them.
  return tasks.map((task) => runTask(task));
}

export async function runChunked(tasks: readonly Task[], signal?: AbortSignal): Promise<string[]> {
  const results: string[] = [];
  for (const task of tasks) {
    if (task.kind !== 'squares') {
      // fib cannot be sliced from outside: yield between whole tasks instead.
      results.push(runTask(task));
      await yieldToLoop();
      continue;
    }
    let total = 0n;
    // The job's own slices (a few milliseconds each), with a turn for the loop after each.
    for (let from = 0; from < task.n; from += SLICE) {
      total += sumOfSquaresBetween(from, Math.min(from + SLICE, task.n));
      await yieldToLoop(); // let timers and I/O run before the next slice
      signal?.throwIfAborted(); // and, because it does, Ctrl-C is noticed here
    }
    results.push(String(total));
  }
  return results;
}

export async function runOnWorker(tasks: readonly Task[], signal?: AbortSignal): Promise<string[]> {
  // The job runs on a thread of its own, on its own event loop
  // (job-worker.ts); this thread only waits for the answer, so its loop is
  // free for everything else. A throw there is an 'error' event here, and
  // once() rejects with it; Ctrl-C (the signal) rejects too.
  const worker = new Worker(new URL('./job-worker.ts', import.meta.url), { workerData: tasks });
  try {
    const [results] = (await once(worker, 'message', { signal })) as [string[]];
    return results;
  } finally {
    await worker.terminate(); // ended either way: nothing is left running
  }
}

// Each way in turn, with a 10 ms heartbeat beside it: how many ticks it missed.
if (import.meta.main) {
  const tasks = makeTasks('squares', 10, 30_000_000);
  console.log(`the job: ${tasks.length} sums of squares from 30,000,000, three ways`);
  for (const run of [runBlocking, runChunked, runOnWorker]) {
    const heartbeat = startHeartbeat();
    const start = performance.now();
    const results = await run(tasks);
    const seconds = ((performance.now() - start) / 1000).toFixed(2);
    const { ticksMissed, delayMaxMs } = heartbeat.stop();
    console.log(
      `${run.name}: ${results.length} sums in ${seconds} s; heartbeat ticks missed: ${ticksMissed}; the loop late by up to ${delayMaxMs} ms`,
    );
  }
}
