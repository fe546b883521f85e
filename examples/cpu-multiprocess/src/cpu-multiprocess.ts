// The same CPU-bound job, four ways. Only the lines that decide where the
// computing happens differ; `diff` any two functions and that is the lesson.
//
//   sequential  one task after another on the main thread
//   async       the same, wrapped in promises: no faster, because one thread
//               runs JavaScript; async overlaps waiting, not computing
//   threads     a pool of worker threads: real parallelism, one core each
//   processes   a pool of child processes: the same, with a whole Node.js
//               per worker (the notes' multiprocessing)
//
// Unlike Python's threads, which take turns under the GIL, Node's worker
// threads each run JavaScript on a core of their own. Both pools are the
// same small pool written out below, Python's `Pool.map`: one queue, each
// worker takes the next task when it answers the last, so a fast worker
// takes more. The pool is opened inside the timing, like the notes' `with
// Pool() as pool:`, so its start-up is part of what it costs; a pool opened
// once and kept (`openThreadPool`) pays it once, as a server does.
//
//   pnpm --filter cpu-multiprocess exec node src/cpu-multiprocess.ts
import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { checkTask, DEFAULT_NUMBERS, makeTasks, NOTES_BASE, runTask, type Task } from '@lab/job';
import { memberEntry } from '@lab/pool';
import type { FromWorker, ToWorker } from './cpu-bound-worker.ts';

// The worker's file, its types stripped once, here: Node 24 runs a .ts
// worker itself, but sets up its type stripper again in every new thread
// and process, about 50 ms each, inside the time a pool is measured by.
// In a project compiled to JavaScript this is just the .js file's URL.
const workerFile = memberEntry(new URL('./cpu-bound-worker.ts', import.meta.url));

export function findSumsSequential(tasks: readonly Task[]): string[] {
  // Each task runs to completion before the next starts, on this thread.
  return tasks.map((task) => runTask(task));
}

export async function findSumsAsync(tasks: readonly Task[]): Promise<string[]> {
  // Every task is "started" at once, but each async function runs its loop
  // to the end before it returns a promise: the thread never gets a moment to
  // run another, and nothing waits on I/O. Promise.all only collects them.
  return Promise.all(tasks.map(async (task) => runTask(task)));
}

export async function findSumsThreads(
  tasks: readonly Task[],
  workers: number,
  signal?: AbortSignal,
): Promise<string[]> {
  await using pool = openThreadPool(Math.min(workers, tasks.length));
  return await pool.map(tasks, signal); // await: the pool is disposed of only after its answers
}

export async function findSumsProcesses(
  tasks: readonly Task[],
  workers: number,
  signal?: AbortSignal,
): Promise<string[]> {
  await using pool = openProcessPool(Math.min(workers, tasks.length));
  return await pool.map(tasks, signal); // await: the pool is disposed of only after its answers
}

export interface WorkerPool extends AsyncDisposable {
  /** results[i] is task i's answer. Rejects, naming the task, if a task throws or its worker dies. */
  map(tasks: readonly Task[], signal?: AbortSignal): Promise<string[]>;
}

/** What the pool needs of a worker of either kind. */
interface Member {
  send(message: ToWorker): void;
  /** End it now, even in the middle of a task. */
  end(): void;
  exited: Promise<void>;
}
interface MemberEvents {
  answer(message: FromWorker): void;
  exit(why: string): void;
}

export function openThreadPool(workers: number): WorkerPool {
  // Each worker thread has its own V8 isolate and event loop, on its own core.
  return openPool('thread', workers, (events) => {
    const worker = new Worker(workerFile);
    let threw = '';
    worker.on('message', events.answer);
    worker.on('error', (error) => (threw = `threw: ${error.message}`)); // then 'exit'
    const exited = new Promise<void>((resolve) =>
      worker.on('exit', (code) => {
        events.exit(threw || `exit code ${code}`);
        resolve();
      }),
    );
    return {
      send: (message) => worker.postMessage(message),
      end: () => worker.terminate(),
      exited,
    };
  });
}

export function openProcessPool(workers: number): WorkerPool {
  // Each child process is a whole Node.js, spoken to over IPC.
  return openPool('process', workers, (events) => {
    const child = fork(workerFile);
    child.on('message', (message) => events.answer(message as FromWorker));
    const exited = new Promise<void>((resolve) => {
      child.on('exit', (code, signal) => {
        events.exit(signal ? `killed by ${signal}` : `exit code ${code}`);
        resolve();
      });
      // Without a pid it never started, and no 'exit' follows.
      child.on('error', (error) => {
        if (child.pid !== undefined) return;
        events.exit(`failed to start: ${error.message}`);
        resolve();
      });
    });
    return {
      send: (message) => child.connected && child.send(message),
      end: () => child.kill(),
      exited,
    };
  });
}

function openPool(
  kind: string,
  workers: number,
  start: (events: MemberEvents) => Member,
): WorkerPool {
  if (!Number.isInteger(workers) || workers < 1) {
    throw new RangeError(`a pool needs at least one member, got ${workers}`);
  }
  // What a run does with its workers' answers and deaths; between runs, a
  // death leaves the pool unusable.
  let stopped: string | null = null;
  let mapping = false;
  let onAnswer = (_member: Member, _message: FromWorker) => {};
  const idleExit = (_member: Member, why: string) => {
    stopped ??= `a ${kind} died (${why})`;
  };
  let onExit = idleExit;
  const members: Member[] = [];
  for (let i = 0; i < workers; i++) {
    const member: Member = start({
      answer: (message) => onAnswer(member, message),
      exit: (why) => onExit(member, why),
    });
    members.push(member);
  }
  // Ends every worker; resolves once all have exited, so nothing outlives the pool.
  const endAll = (why: string) => {
    stopped ??= why;
    onExit = () => {};
    for (const member of members) member.end();
    return Promise.all(members.map((member) => member.exited));
  };

  return {
    map(tasks, signal) {
      if (stopped) return Promise.reject(new Error(`the pool has stopped: ${stopped}`));
      if (mapping) return Promise.reject(new Error('the pool runs one map at a time'));
      if (signal?.aborted) return Promise.reject(signal.reason);
      mapping = true;
      return new Promise<string[]>((resolve, reject) => {
        const results: string[] = new Array(tasks.length);
        const running = new Map<Member, number>(); // which task each busy worker has
        let next = 0;
        let done = 0;
        const finish = (error?: Error) => {
          signal?.removeEventListener('abort', abort);
          onAnswer = () => {};
          mapping = false;
          if (error) return void endAll(error.message).then(() => reject(error));
          onExit = idleExit;
          resolve(results);
        };
        const abort = () => finish(signal?.reason);
        // Hand this worker the next task; when the queue is empty it waits.
        const feed = (member: Member) => {
          if (next >= tasks.length) return;
          running.set(member, next);
          member.send({ id: next, task: tasks[next] as Task });
          next += 1;
        };
        onAnswer = (member, message) => {
          running.delete(member);
          if ('error' in message) {
            return finish(new Error(`task ${message.id} failed: ${message.error}`));
          }
          results[message.id] = message.result;
          done += 1;
          if (done === tasks.length) finish();
          else feed(member);
        };
        onExit = (member, why) => {
          const id = running.get(member);
          const what = id === undefined ? `a ${kind}` : `task ${id} failed: its ${kind}`;
          finish(new Error(`${what} died (${why})`));
        };
        signal?.addEventListener('abort', abort, { once: true });
        if (tasks.length === 0) return finish();
        for (const member of members) feed(member);
      });
    },
    async [Symbol.asyncDispose]() {
      // Python's `with Pool()` terminates its workers on the way out, too.
      await endAll('the pool is closed');
    },
  };
}

if (import.meta.main) {
  // The notes' size: 20 numbers from 5,000,000, one worker per core.
  const tasks = makeTasks('squares', DEFAULT_NUMBERS, NOTES_BASE);
  const workers = availableParallelism();
  const strategies = {
    sequential: findSumsSequential,
    async: findSumsAsync,
    threads: (tasks: readonly Task[]) => findSumsThreads(tasks, workers),
    processes: (tasks: readonly Task[]) => findSumsProcesses(tasks, workers),
  };
  for (const [name, findSums] of Object.entries(strategies)) {
    const started = performance.now();
    const sums = await findSums(tasks);
    const seconds = (performance.now() - started) / 1000;
    const failed = tasks.filter((task, i) => !checkTask(task, sums[i] ?? '')).length;
    console.log(
      `cpu-multiprocess · ${name}: ${tasks.length} items in ${seconds.toFixed(2)} s, ${failed} failed`,
    );
    if (failed > 0) process.exitCode = 1;
  }
}
