// One thread of a fixed counter: wait at the gate, then add one `increments`
// times, the way workerData.fix says.
import { parentPort, workerData } from 'node:worker_threads';
import { COUNTER, GATE, LOCK } from 'racy-counter';
import { lock, unlock } from './mutex.ts';

const { cells, increments, fix } = workerData as {
  cells: Int32Array;
  increments: number;
  fix: 'atomics' | 'lock' | 'message-passing';
};

parentPort?.postMessage('ready');
Atomics.wait(cells, GATE, 0);

let mine = 0;
for (let i = 0; i < increments; i++) {
  if (fix === 'atomics') {
    // Read, add and write as one indivisible step: no thread can come between.
    Atomics.add(cells, COUNTER, 1);
  } else if (fix === 'lock') {
    // The same plain += 1 as the racy version, but only one thread at a time.
    lock(cells, LOCK);
    cells[COUNTER]! += 1;
    unlock(cells, LOCK);
  } else {
    // Share nothing: count privately, and send the total when done.
    mine += 1;
  }
}

parentPort?.postMessage({ done: mine });
