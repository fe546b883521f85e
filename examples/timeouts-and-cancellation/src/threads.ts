// Crossing threads: asyncio.to_thread and run_coroutine_threadsafe, in Node.
//
// asyncio.to_thread(blocking) runs a blocking call on another thread and
// hands the loop an awaitable; a Node worker thread does the same, and its
// answer comes back as a message. run_coroutine_threadsafe(coro, loop) goes
// the other way: a thread asks the loop to run a coroutine and blocks on the
// future; in Node the worker posts a message, the loop runs the async
// function and posts the answer back, and the worker blocks until it is
// there (Atomics.wait, then receiveMessageOnPort). Either way the loop keeps
// beating: a 5 ms heartbeat counts how free it stays.
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { sleep } from '@lab/harness';

/** time.sleep(ms / 1000) on the loop's own thread: nothing else runs. */
export const blockLoopFor = (ms: number) =>
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Count 5 ms heartbeats of this loop while `task` runs. */
export async function heartbeatsDuring<T>(
  task: () => Promise<T> | T,
): Promise<{ beats: number; value: T }> {
  let beats = 0;
  const timer = setInterval(() => {
    beats += 1;
  }, 5);
  try {
    const value = await task();
    await new Promise((resolve) => setImmediate(resolve)); // a due beat gets its turn
    return { beats, value };
  } finally {
    clearInterval(timer);
  }
}

/** What the worker asks the loop to run: an async function (the coroutine). */
async function sayLater(ms: number): Promise<string> {
  await sleep(ms);
  return `said after ${ms} ms on the loop`;
}

/** Start the worker on `task` and wait for its last word, answering its calls on the loop. */
export async function inWorker(
  task: 'block' | 'ask-loop',
  ms: number,
  signal?: AbortSignal,
): Promise<string> {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(new URL('./thread-worker.ts', import.meta.url), {
    workerData: { task, ms, flag },
  });
  try {
    for (;;) {
      const [message] = (await once(worker, 'message', { signal })) as [
        { call?: string; done?: string },
      ];
      if (message.done) return message.done;
      // run_coroutine_threadsafe: the loop runs it, then wakes the waiting thread.
      worker.postMessage({ value: await sayLater(ms) });
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
    }
  } finally {
    await worker.terminate();
  }
}

export interface ThreadsOutcome {
  ms: number;
  /** Heartbeats (5 ms) while the loop itself blocked for ms. */
  blockedOnLoop: number;
  /** ... while a worker blocked for ms (to_thread). */
  toThread: number;
  /** ... while a worker waited for the loop to run an async function (run_coroutine_threadsafe). */
  fromThread: number;
  lines: string[];
}

export async function crossThreads(ms: number, signal?: AbortSignal): Promise<ThreadsOutcome> {
  const onLoop = await heartbeatsDuring(() => blockLoopFor(ms));
  const toThread = await heartbeatsDuring(() => inWorker('block', ms, signal));
  const fromThread = await heartbeatsDuring(() => inWorker('ask-loop', ms, signal));
  return {
    ms,
    blockedOnLoop: onLoop.beats,
    toThread: toThread.beats,
    fromThread: fromThread.beats,
    lines: [toThread.value, fromThread.value],
  };
}
