// The same CPU-bound job, four ways. Only the lines that decide where the
// computing happens differ; `diff` any two functions and that is the lesson.
//
//   sequential  one task after another on the main thread
//   async       the same, wrapped in promises: no faster, because one thread
//               runs JavaScript; async overlaps waiting, not computing
//   threads     a pool of worker_threads: real parallelism, one core each
//   processes   a pool of child processes: the same, with a whole Node.js
//               per member (the notes' multiprocessing)
//
// Unlike Python's threads, which take turns under the GIL, Node's worker
// threads each run JavaScript on a core of their own. A pool is started
// inside the timing, like the notes' `with Pool() as pool:`, so its start-up
// is part of what it costs; runOnWarmPool shows the same work on a pool that
// was started before the clock and kept, as a server keeps its workers.

import { jobMember, runTask, type Task } from '@lab/job';
import { type Pool, startPool } from '@lab/pool';

export interface Run {
  /** results[i] is task i's answer. */
  results: string[];
  /** Time spent starting members before all of them could compute (0 on the main thread, or a warm pool). */
  startupMs: number;
  /** Tasks run by each member (the main thread counts as one). */
  perWorker: number[];
  /** A pool's mean time per task, from handing it out to its answer (absent on the main thread). */
  taskMs?: number;
}

export interface PoolOptions {
  workers: number;
  signal?: AbortSignal;
}

export async function runSequential(tasks: readonly Task[]): Promise<Run> {
  // Each task runs to completion before the next starts, on this thread.
  const results = tasks.map((task) => runTask(task));
  return { results, startupMs: 0, perWorker: [tasks.length] };
}

export async function runAsync(tasks: readonly Task[]): Promise<Run> {
  // Every task is "started" at once, but each async function runs its loop
  // to the end before it returns a promise: the thread never gets a moment to
  // run another, and nothing waits on I/O. Promise.all only collects them.
  const results = await Promise.all(tasks.map(async (task) => runTask(task)));
  return { results, startupMs: 0, perWorker: [tasks.length] };
}

export async function runThreads(tasks: readonly Task[], options: PoolOptions): Promise<Run> {
  // Each worker thread has its own V8 isolate and event loop, on its own core.
  const size = Math.min(options.workers, tasks.length);
  const { signal } = options;
  await using pool = await startPool<Task, string>({
    kind: 'thread',
    file: jobMember,
    size,
    signal,
  });
  return { ...(await runOnWarmPool(pool, tasks)), startupMs: pool.startupMs };
}

export async function runProcesses(tasks: readonly Task[], options: PoolOptions): Promise<Run> {
  // Each child process is a whole Node.js, spoken to over IPC.
  const size = Math.min(options.workers, tasks.length);
  const { signal } = options;
  await using pool = await startPool<Task, string>({
    kind: 'process',
    file: jobMember,
    size,
    signal,
  });
  return { ...(await runOnWarmPool(pool, tasks)), startupMs: pool.startupMs };
}

export async function runOnWarmPool(
  pool: Pool<Task, string>,
  tasks: readonly Task[],
): Promise<Run> {
  // The members take tasks from one queue, one at a time each, so a fast
  // member takes more. A started pool pays only for the work and the messages.
  const { results, perMember, taskMs } = await pool.map(tasks);
  return { results, startupMs: 0, perWorker: perMember, taskMs };
}
