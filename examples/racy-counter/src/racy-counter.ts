// Two ways to lose updates, and one way that looks racy but is not.
//
//   threads         W threads share one counter; each reads it and writes
//                   back one more, K times. The operating system runs them
//                   on different cores at once (or switches between them at
//                   any instant), so one thread's write lands between
//                   another's read and write and is overwritten: the notes'
//                   race, for real.
//   async-await     T async tasks on one thread each do: read, await, write.
//                   Every task reads before any of them writes, so each
//                   round adds 1, not T: the count ends at exactly K.
//                   Nothing is pre-empted; the loss is written into the
//                   code, at the await.
//   async-no-await  T async tasks each do counter += 1 with no await in
//                   between: exact, because a task gives up the thread only
//                   at an await (the notes: "tasks never give up control
//                   without intentionally doing so").
//
//   pnpm --filter racy-counter exec node src/racy-counter.ts
import { parentPort, Worker, workerData } from 'node:worker_threads';

// The memory the threads share: one SharedArrayBuffer, seen by every thread
// as the same Int32Array. A plain number or Array would be copied into each
// worker; only a SharedArrayBuffer is the same bytes in all of them, which
// is what makes a race possible at all.
const COUNTER = 0; // the counter the threads increment
const GATE = 1; // 0 while the threads wait to start together, 1 once they may go

export interface Count {
  expected: number;
  actual: number;
}

/**
 * One thread's loop. Why not a plain `cells[COUNTER] += 1`? It races too,
 * but V8 may read the cell once and keep the count in a register. Atomics.load
 * and Atomics.store make each read and each write a real access to shared
 * memory: each step is whole, like one bytecode under the GIL, and nothing
 * holds the two together.
 */
export function incrementShared(cells: Int32Array, increments: number): void {
  for (let i = 0; i < increments; i++) {
    const value = Atomics.load(cells, COUNTER); // read
    Atomics.store(cells, COUNTER, value + 1); // write: the value read may be stale by now
  }
}

/** W threads run incrementShared at once on one shared counter. */
export async function countWithThreads(
  workers: number,
  increments: number,
  options: { signal?: AbortSignal } = {},
): Promise<Count> {
  const worker = new URL('./threads-worker.ts', import.meta.url);
  return countOnThreads(worker, workers, increments, options.signal);
}

export interface ThreadData {
  cells: Int32Array;
  increments: number;
}

/**
 * The thread's side, which its worker file calls with its loop. Starting a
 * thread takes tens of milliseconds; a thread that began counting at once
 * could be done before the last one started, and nothing would overlap. So
 * it says it is ready, then sleeps at the gate (Atomics.wait burns no CPU)
 * until the main thread opens it for all of them at once. Its answer, once
 * its loop is done: what the loop returned, if anything, else 'done'.
 */
export function countOnThisThread(loop: (cells: Int32Array, increments: number) => unknown): void {
  if (!parentPort) throw new Error('countOnThisThread runs in a worker thread');
  const { cells, increments } = workerData as ThreadData;
  parentPort.postMessage('ready');
  Atomics.wait(cells, GATE, 0); // asleep while the gate reads 0
  parentPort.postMessage(loop(cells, increments) ?? 'done');
}

/**
 * The main thread's side: W threads of the worker file, all given the same
 * cells, started together; the count is what they left in the shared cell.
 */
async function countOnThreads(
  worker: URL,
  workers: number,
  increments: number,
  signal?: AbortSignal,
): Promise<Count> {
  signal?.throwIfAborted();
  const cells = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  const workerData: ThreadData = { cells, increments };
  const threads = Array.from({ length: workers }, () => new Worker(worker, { workerData }));
  await startTogether(threads, cells, signal);
  return { expected: workers * increments, actual: Atomics.load(cells, COUNTER) };
}

/**
 * Once every thread has said it is ready, the gate opens and their loops run
 * at once. Settles with each thread's answer once every one has exited. A
 * thread that fails, or the signal, ends them all, and this rejects saying why.
 */
export async function startTogether(
  threads: Worker[],
  cells: Int32Array,
  signal?: AbortSignal,
): Promise<unknown[]> {
  let failure: Error | undefined;
  const endAll = (why: Error) => {
    failure ??= why;
    for (const thread of threads) void thread.terminate();
  };
  const onAbort = () => endAll(new Error('cancelled'));
  signal?.addEventListener('abort', onAbort, { once: true });
  let ready = 0;
  const answers = threads.map(
    (thread, id) =>
      new Promise<unknown>((resolve) => {
        let answer: unknown;
        thread.on('message', (message) => {
          if (message !== 'ready') answer = message;
          else if (++ready === threads.length) {
            Atomics.store(cells, GATE, 1); // the last one is in: open the gate
            Atomics.notify(cells, GATE); // and wake every sleeper
          }
        });
        // An uncaught exception ends the thread: 'error' comes first, then 'exit'.
        thread.on('error', (error) => endAll(new Error(`thread ${id} failed: ${error.message}`)));
        thread.on('exit', (code) => {
          if (answer === undefined) endAll(new Error(`thread ${id} exited (code ${code})`));
          resolve(answer);
        });
      }),
  );
  const sent = await Promise.all(answers);
  signal?.removeEventListener('abort', onAbort);
  if (failure) throw failure;
  return sent;
}

// Async tasks that await only settled promises run one after another in
// microtasks and never give the event loop a turn: no timer, no I/O, not
// even Ctrl-C would run until they were all done. So every TURN_EVERY rounds
// every task awaits the SAME promise, settled by setImmediate: the loop gets
// a turn (and the signal a chance to stop the count), then the tasks go on
// in the order they had. The count comes out as it would without the pause.
export const TURN_EVERY = 1 << 16;

function eventLoopTurns(signal?: AbortSignal): (round: number) => Promise<void> {
  let current = -1;
  let turn = Promise.resolve();
  return (round) => {
    if (round !== current) {
      current = round;
      turn = new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
        signal?.throwIfAborted(),
      );
    }
    return turn;
  };
}

/**
 * T async tasks at once on this one thread (Promise.all), each doing
 * `increment` K times. An increment that awaits inside is awaited before the
 * task's next one; one that does not runs straight on, with no await at all.
 */
export async function inTasks(
  tasks: number,
  increments: number,
  increment: () => Promise<void> | void,
  signal?: AbortSignal,
): Promise<void> {
  const turn = eventLoopTurns(signal);
  const task = async () => {
    for (let i = 0; i < increments; i++) {
      if (i % TURN_EVERY === 0) await turn(i);
      const awaiting = increment();
      if (awaiting) await awaiting;
    }
  };
  await Promise.all(Array.from({ length: tasks }, task));
}

/** T tasks at once, each K times: read, await, write. */
export async function countWithAsyncAwait(
  tasks: number,
  increments: number,
  options: { signal?: AbortSignal } = {},
): Promise<Count> {
  let counter = 0;
  const readAwaitWrite = async () => {
    const value = counter; // read
    await null; // the other tasks run here, and read the same value
    counter = value + 1; // write back a stale value + 1
  };
  await inTasks(tasks, increments, readAwaitWrite, options.signal);
  return { expected: tasks * increments, actual: counter };
}

/** T tasks at once, each K times: counter += 1, with no await in it. */
export async function countWithoutAwait(
  tasks: number,
  increments: number,
  options: { signal?: AbortSignal } = {},
): Promise<Count> {
  let counter = 0;
  const addOne = () => {
    counter += 1; // read, add, write with no await between: no other task can run here
  };
  await inTasks(tasks, increments, addOne, options.signal);
  return { expected: tasks * increments, actual: counter };
}

/** A count of W threads or tasks, K increments each, as every lesson here exports one. */
export type Counter = (workers: number, increments: number) => Promise<Count>;

/**
 * The program: each count once, 4 threads (or tasks) of 1,000,000
 * increments, printed as the notes' Python prints its count, with the time
 * it took. (safe-counter's program is this one, with its fixes.)
 */
export async function printCounts(counts: Record<string, Counter>): Promise<void> {
  for (const [name, count] of Object.entries(counts)) {
    const start = performance.now();
    const { expected, actual } = await count(4, 1_000_000);
    const seconds = ((performance.now() - start) / 1000).toFixed(2);
    console.log(
      `${name}: counter = ${actual}, expected ${expected}: ${expected - actual} increments lost in ${seconds} seconds`,
    );
  }
}

// No top-level await in this file: the worker files import it, and a thread
// ended while a module with top-level await is still being evaluated (its
// loop runs in that evaluation) crashes V8 ("Check failed: location_").
if (import.meta.main) {
  printCounts({
    threads: countWithThreads,
    'async-await': countWithAsyncAwait,
    'async-no-await': countWithoutAwait,
  }).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
