// One member of a CPU pool, run as a worker thread or as a child process. It
// computes whatever task it is given, one at a time, on its own core; an
// exception becomes an answer that names it, so the pool can fail the run
// with a clear message instead of losing the task.
import { parentPort } from 'node:worker_threads';
import { runTask } from './job.ts';
import { type Answer, READY, STOP, type Task } from './protocol.ts';

function answer(task: Task): Answer {
  try {
    return { index: task.index, result: runTask(task) };
  } catch (error) {
    return { index: task.index, error: error instanceof Error ? error.message : String(error) };
  }
}

// On STOP the member closes its end of the channel; with nothing left to wait
// for, its event loop runs dry and the thread or process exits with code 0.
if (parentPort) {
  const port = parentPort;
  port.on('message', (message: Task | typeof STOP) =>
    message === STOP ? port.close() : port.postMessage(answer(message)),
  );
  port.postMessage(READY);
} else if (process.send) {
  process.on('message', (message: Task | typeof STOP) =>
    message === STOP ? process.disconnect() : process.send?.(answer(message)),
  );
  process.send(READY);
} else {
  throw new Error('task-worker.ts runs only as a worker thread or a forked process');
}
