// Crossing threads: asyncio.to_thread and run_coroutine_threadsafe, in Node.
//
// asyncio.to_thread(blocking) runs a blocking call on another thread and
// hands the loop an awaitable; a Node worker thread does the same, and its
// answer comes back as a message. run_coroutine_threadsafe(coro, loop) goes
// the other way: a thread asks the loop to run a coroutine and blocks on the
// future; in Node the worker posts a message, the loop runs the async
// function and posts the answer back, and the worker blocks until it is
// there (Atomics.wait, then receiveMessageOnPort). Either way the loop keeps
// beating, which it does not while it blocks itself (blockFor, time.sleep).
//
//   pnpm --filter timeouts-and-cancellation exec node src/threads.ts
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { blockFor, sleep } from '@lab/harness';
import { heartbeatsDuring } from './heartbeats.ts';

/** What the worker asks the loop to run: an async function (the coroutine). */
async function sayLater(ms: number): Promise<string> {
  await sleep(ms);
  return `said after ${ms} ms on the loop`;
}

/** Start the worker on `task` and wait for its last word, answering its calls on the loop. */
async function inWorker(task: 'block' | 'ask-loop', ms: number, signal?: AbortSignal) {
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

/** asyncio.to_thread(time.sleep, ms / 1000): a worker blocks; this loop waits for its message. */
export const toThread = (ms: number, signal?: AbortSignal): Promise<string> =>
  inWorker('block', ms, signal);

/** A worker that calls run_coroutine_threadsafe(sayLater(ms), loop).result(): the loop runs it. */
export const fromThread = (ms: number, signal?: AbortSignal): Promise<string> =>
  inWorker('ask-loop', ms, signal);

// As the asyncio original's threads section: 200 ms each way, a 5 ms heartbeat beside.
if (import.meta.main) {
  const start = performance.now();
  const onLoop = await heartbeatsDuring(() => blockFor(200));
  const there = await heartbeatsDuring(() => toThread(200));
  const back = await heartbeatsDuring(() => fromThread(200));
  console.log(
    `heartbeats (every 5 ms) while 200 ms pass: blockFor on the loop ${onLoop.beats}, toThread ${there.beats}, fromThread ${back.beats}`,
  );
  console.log(there.value);
  console.log(back.value);
  console.log(`took ${((performance.now() - start) / 1000).toFixed(2)} s`);
}
