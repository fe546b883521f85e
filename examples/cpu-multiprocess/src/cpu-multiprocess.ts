// The same CPU-bound job, four ways. Only the lines that decide where the
// computing happens differ; `diff` any two functions and that is the lesson.
//
//   sequential  one task after another on the main thread
//   async       the same, wrapped in promises: no faster, because one thread
//               runs JavaScript; async overlaps waiting, not computing
//   threads     a pool of worker_threads: real parallelism, one core each
//   processes   a pool of child processes: the same, with a whole Node.js
//               per worker (the notes' multiprocessing)
//
// Unlike Python's threads, which take turns under the GIL, Node's worker
// threads each run JavaScript on a core of their own.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { runTask, type Task } from './job.ts';
import { runPool } from './pool.ts';
import { STOP } from './protocol.ts';

export interface Run {
  /** results[i] is task i's answer. */
  results: string[];
  /** Time spent starting workers before all of them could compute (0 on the main thread). */
  startupMs: number;
  /** Tasks run by each worker (the main thread counts as one). */
  perWorker: number[];
  /** A pool's mean time per task, from handing it out to its answer (absent on the main thread). */
  taskMs?: number;
}

export interface PoolOptions {
  workers: number;
  signal?: AbortSignal;
  /** The worker's code; tests swap in one that misbehaves. */
  workerFile?: URL;
}

const defaultWorker = new URL('./task-worker.ts', import.meta.url);

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
  return runPool(
    tasks,
    options.workers,
    (events) => {
      const thread = new Worker(options.workerFile ?? defaultWorker);
      let threw = '';
      thread.on('message', events.message);
      // An uncaught exception ends the thread: 'error' comes first, then 'exit'.
      thread.on('error', (error) => (threw = `threw: ${error.message}`));
      thread.on('exit', (code) => events.exit(threw || `exit code ${code}`));
      return {
        send: (task) => thread.postMessage(task),
        // terminate() interrupts even a thread in the middle of a task.
        stop: (now) => (now ? void thread.terminate() : thread.postMessage(STOP)),
      };
    },
    options.signal,
  );
}

export async function runProcesses(tasks: readonly Task[], options: PoolOptions): Promise<Run> {
  // Each child process is a whole Node.js, spoken to over IPC.
  return runPool(
    tasks,
    options.workers,
    (events) => {
      const file = fileURLToPath(options.workerFile ?? defaultWorker);
      const child = fork(file, [], {
        execArgv: [],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      child.on('message', events.message);
      child.on('error', (error) => {
        // Without a pid the process never started, and no 'exit' will follow.
        if (child.pid === undefined) events.exit(`failed to start: ${error.message}`);
      });
      child.on('exit', (code, signal) =>
        events.exit(signal ? `killed by ${signal}` : `exit code ${code}`),
      );
      return {
        send: (task) => child.send(task),
        // A busy process cannot read a message until its task is done: kill it.
        stop: (now) => (now || !child.connected ? child.kill() : child.send(STOP)),
      };
    },
    options.signal,
  );
}
