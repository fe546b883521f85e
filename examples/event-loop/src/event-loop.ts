// The same CPU job (@lab/job, shared with cpu-multiprocess), three ways, while a
// heartbeat tries to tick every 10 ms:
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
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { jobMember, runTask, SLICE, sumOfSquaresBetween, type Task } from '@lab/job';
import { startPool } from '@lab/pool';

export interface Run {
  results: string[];
  /** Time spent starting a thread before the job could begin (0 on the main thread). */
  startupMs: number;
}

export async function runBlocking(tasks: readonly Task[]): Promise<Run> {
  // One call per task, each to the end: the loop waits for all of them.
  const results = tasks.map((task) => runTask(task));
  return { results, startupMs: 0 };
}

export async function runChunked(tasks: readonly Task[], signal?: AbortSignal): Promise<Run> {
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
  return { results, startupMs: 0 };
}

export async function runOnWorker(tasks: readonly Task[], signal?: AbortSignal): Promise<Run> {
  // A pool of one thread: the job runs there, on its own event loop. This
  // thread only waits for the answers, so its loop is free for the heartbeat.
  await using pool = await startPool<Task, string>({
    kind: 'thread',
    file: jobMember,
    size: 1,
    signal,
  });
  const { results } = await pool.map(tasks);
  return { results, startupMs: pool.startupMs };
}
