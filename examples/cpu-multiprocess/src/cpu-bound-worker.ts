// The worker side of cpu-multiprocess.ts's pools, the same file for a
// thread and for a process: take one task, run it, answer, wait for the
// next. A task that throws is answered with its error, so the pool can name
// the task instead of losing it. Python's multiprocessing.Pool runs the same
// loop in each of its processes, out of sight.
import { parentPort } from 'node:worker_threads';
import { runTask, type Task } from '@lab/job/job';

/** What the pool sends: a task, and the id its answer must carry. */
export interface ToWorker {
  id: number;
  task: Task;
}

/** What a worker answers: the task's result, or what it threw. */
export type FromWorker = { id: number; result: string } | { id: number; error: string };

function answer({ id, task }: ToWorker): FromWorker {
  try {
    return { id, result: runTask(task) };
  } catch (error) {
    return { id, error: error instanceof Error ? error.message : String(error) };
  }
}

// A thread talks to the pool through its port; a forked process over IPC.
// Either way the listener keeps the worker alive until the pool ends it.
const port = parentPort;
if (port) port.on('message', (message: ToWorker) => port.postMessage(answer(message)));
else process.on('message', (message: ToWorker) => process.send?.(answer(message)));
