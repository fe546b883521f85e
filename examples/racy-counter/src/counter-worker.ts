// One racing thread: wait at the gate, then add one to the shared counter,
// `increments` times, with a plain `+= 1`.
import { parentPort, workerData } from 'node:worker_threads';
import { COUNTER, GATE } from './shared-memory.ts';

const { cells, increments } = workerData as { cells: Int32Array; increments: number };

parentPort?.postMessage('ready');
Atomics.wait(cells, GATE, 0);

for (let i = 0; i < increments; i++) {
  // Three steps: read the counter, add one, write it back. Another thread can
  // write between this thread's read and its write; then one of the two
  // increments is lost. Python's `counter += 1` is the same three steps.
  cells[COUNTER]! += 1;
}

parentPort?.postMessage({ done: increments });
