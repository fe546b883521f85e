// One thread of a fixed counter: say ready, wait at the gate, then add one
// `increments` times, the way workerData.fix says.
import { parentPort, workerData } from 'node:worker_threads';
import { COUNTER, type CounterData, GATE, LOCK } from 'racy-counter';
import { lock, unlock } from './mutex.ts';
import type { Fix } from './safe-counter.ts';

const { cells, increments, index, failIn, fix } = workerData as CounterData & { fix: Fix };

// Tests make one thread fail here, to check that the others (asleep at the
// gate, which nobody will open) are still terminated.
if (index === failIn) throw new Error('failed on purpose');
parentPort?.postMessage('ready');
Atomics.wait(cells, GATE, 0);

let mine = 0;
for (let i = 0; i < increments; i++) {
  if (fix === 'atomics') {
    // Read, add and write as one indivisible step: no thread can come between.
    Atomics.add(cells, COUNTER, 1);
  } else if (fix === 'lock') {
    // The racy version's read and write, but only one thread at a time.
    lock(cells, LOCK);
    const value = Atomics.load(cells, COUNTER); // read
    Atomics.store(cells, COUNTER, value + 1); // write: nobody wrote in between
    unlock(cells, LOCK);
  } else {
    // Share nothing: count in this thread's own variable, send the total at the end.
    mine += 1;
  }
}

parentPort?.postMessage({ done: fix === 'message-passing' ? mine : increments });
