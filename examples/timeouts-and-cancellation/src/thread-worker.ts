// The worker thread of threads.ts. It blocks, as a plain thread in Python
// would: blockFor (Atomics.wait) is time.sleep, and waiting for the loop's answer is
// run_coroutine_threadsafe(...).result().
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { blockFor } from '@lab/harness';

const port = parentPort;
if (!port) throw new Error('thread-worker.ts runs only as a worker thread');
const { task, ms, flag } = workerData as {
  task: 'block' | 'ask-loop';
  ms: number;
  flag: Int32Array;
};

if (task === 'block') {
  blockFor(ms); // time.sleep(ms / 1000): this thread blocks, and only this thread
  port.postMessage({ done: `blocked ${ms} ms on its own thread` });
} else {
  // Hand the loop a coroutine to run, then block until its answer is in.
  port.postMessage({ call: 'sayLater', ms });
  Atomics.wait(flag, 0, 0); // future.result(): wait for the loop to set the flag
  const reply = receiveMessageOnPort(port)?.message as { value: string };
  port.postMessage({ done: `the loop answered: ${reply.value}` });
}
