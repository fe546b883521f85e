// One member of a CPU pool, run as a worker thread or as a child process. It
// computes whatever task it is given, one at a time, on its own core; an
// exception becomes an answer that names it, so the pool can fail the run
// with a clear message instead of losing the task.
import { parentPort } from 'node:worker_threads';
import { runTask } from './job.ts';
import { type Answer, READY, type Task } from './protocol.ts';

function answer(task: Task): Answer {
  try {
    return { index: task.index, result: runTask(task) };
  } catch (error) {
    return { index: task.index, error: error instanceof Error ? error.message : String(error) };
  }
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (task: Task) => port.postMessage(answer(task)));
  port.postMessage(READY);
} else if (process.send) {
  process.on('message', (task: Task) => process.send?.(answer(task)));
  // When the pool lets go of this process, there is nothing left to wait for.
  process.on('disconnect', () => process.exit(0));
  process.send(READY);
} else {
  throw new Error('task-worker.ts runs only as a worker thread or a forked process');
}
