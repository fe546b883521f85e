// One racing thread: say ready, wait at the gate, then add one to the shared
// counter `increments` times, by reading it and writing it back plus one.
//
// Why not a plain `cells[COUNTER] += 1`? It races too, but V8's optimizing
// compiler may read the cell once, keep the count in a register and only
// write it (measured on Node 24: a value the main thread stored mid-loop was
// simply overwritten by the worker's own tally). Atomics.load and
// Atomics.store make each read and each write a real access to the shared
// memory, every time, so the race is exactly the notes' one: each step is
// whole, like one Python bytecode under the GIL, but nothing holds the
// read and the write together.
import { parentPort, workerData } from 'node:worker_threads';
import { COUNTER, type CounterData, GATE } from './shared-memory.ts';

const { cells, increments, index, failIn } = workerData as CounterData;

// Tests make one thread fail here, to check that the others (asleep at the
// gate, which nobody will open) are still terminated.
if (index === failIn) throw new Error('failed on purpose');
parentPort?.postMessage('ready');
Atomics.wait(cells, GATE, 0);

for (let i = 0; i < increments; i++) {
  // counter += 1 is two steps here, as in Python: read the counter, then
  // write back what was read plus one. Another thread can write between
  // this thread's read and its write; that write is then overwritten and
  // its increment is lost.
  const value = Atomics.load(cells, COUNTER); // read
  Atomics.store(cells, COUNTER, value + 1); // write: the value read may be stale by now
}

parentPort?.postMessage({ done: increments });
