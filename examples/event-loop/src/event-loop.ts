// The same CPU job (from cpu-multiprocess, shared), three ways, while a
// heartbeat tries to tick every 10 ms:
//
//   blocking  the job runs on the main thread in one piece. The loop cannot
//             run a timer, answer a socket or notice Ctrl-C until it is done:
//             "tasks never give up control without intentionally doing so".
//   chunked   the job runs in slices, yielding to the loop between them
//             (await setImmediate()). The loop stays responsive; the job takes
//             a little longer, for all the turns it gives away.
//   worker    the job runs on a worker thread. The loop is free the whole
//             time, and the job takes about as long as alone.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { runTask, SLICE, sumOfSquaresBetween, type Task } from 'cpu-multiprocess/job';

export async function runBlocking(tasks: readonly Task[]): Promise<string[]> {
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
  const worker = new Worker(new URL('./job-worker.ts', import.meta.url), { workerData: tasks });
  try {
    // The main thread only waits: the loop is free for the heartbeat meanwhile.
    return await new Promise<string[]>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject); // the job threw on the worker
      worker.once('exit', (code) => reject(new Error(`job worker exited with code ${code}`)));
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  } finally {
    await worker.terminate(); // no thread outlives the run, whatever happened
  }
}
