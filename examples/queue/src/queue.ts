// The notes' CPU job one step past one machine: its tasks as jobs on a
// BullMQ queue in Redis, done by worker processes that reach Redis over TCP,
// exactly as workers on other machines would. FastAPI's Background Tasks
// page sends work this size to "bigger tools like Celery"; this is that tool
// on Node.js.
//
//   runSequential  one task after another on this thread: the work alone
//   runThreads     a local pool of worker threads: one core each, one machine
//   runOnQueue     jobs on the queue, taken by whichever worker is free, on
//                  any machine; `chunk` tasks to a job
//
// A job on a queue is not free: the producer writes it to Redis, a worker
// takes it with a script that moves it to `active` and locks it, renews the
// lock while it runs, and writes the result back. Each is a round trip to
// Redis, so one tiny task per job spends its time on the queue, not on the
// task; chunks of many tasks a job pay the same cost once per chunk.
//
// A worker that dies mid-job loses nothing: its lock (lockDuration) is no
// longer renewed, and another worker's stalled-job check (every
// stalledInterval) moves the job back to `wait`, where a live worker takes it.
//
//   pnpm --filter queue exec node src/queue.ts [redis://host:port]
import { type ChildProcess, fork } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { once } from 'node:events';
import { availableParallelism, hostname } from 'node:os';
import { setTimeout as wait } from 'node:timers/promises';
import {
  jobMember,
  makeTasks,
  NOTES_BASE,
  runTask,
  sumOfSquaresClosedForm,
  type Task,
} from '@lab/job';
import { startPool } from '@lab/pool';
import { Queue, QueueEvents, Worker } from 'bullmq';

export interface Run {
  /** results[i] is task i's answer. */
  results: string[];
  /** Tasks done by each worker, by its name (host:pid), or the thread's index. */
  perWorker: Record<string, number>;
  /** Jobs on the queue (1 per task on a thread). */
  jobs: number;
  /** Completions of a job already counted: a job done twice would show here. */
  duplicates: number;
  /** On the queue: the time the workers spent computing, all jobs together (what their tasks cost there). */
  computeMs?: number;
}

/** What a job carries, and what its worker answers. */
export interface JobData {
  tasks: Task[];
}
export interface JobResult {
  worker: string;
  results: string[];
  /** How long the tasks took on the worker: the rest of a job's time is the queue's. */
  ms: number;
}

/** The queue's name in Redis: the producer and every worker, on any machine, agree on it. */
export const QUEUE_NAME = 'cpu-job';

// How soon a dead worker's job is taken over: its lock lapses after
// LOCK_MS, and a live worker looks for lapsed locks every STALLED_EVERY_MS,
// so the job is back in `wait` within about LOCK_MS + 2 x STALLED_EVERY_MS
// (BullMQ's defaults are 30 s each). A job computes on the worker's only
// thread, which also renews the lock: a job must take well under LOCK_MS,
// or a live worker would look dead.
export const LOCK_MS = 2000;
export const STALLED_EVERY_MS = 1000;

export async function runSequential(tasks: readonly Task[]): Promise<Run> {
  const results = tasks.map((task) => runTask(task));
  return { results, perWorker: { main: tasks.length }, jobs: tasks.length, duplicates: 0 };
}

export async function runThreads(
  tasks: readonly Task[],
  options: { workers: number },
): Promise<Run> {
  // One machine's answer: a pool of worker threads, each its own core.
  const size = Math.min(options.workers, tasks.length);
  await using pool = await startPool<Task, string>({ kind: 'thread', file: jobMember, size });
  const { results, perMember } = await pool.map(tasks);
  const perWorker = Object.fromEntries(perMember.map((count, i) => [`thread ${i}`, count]));
  return { results, perWorker, jobs: tasks.length, duplicates: 0 };
}

/**
 * The worker: take a job, compute its tasks, answer. This runs in every
 * worker process (queue-worker.ts), on this machine or any other that can
 * reach the Redis.
 */
export function work(redis: string, name = QUEUE_NAME): Worker<JobData, JobResult> {
  const id = `${hostname()}:${process.pid}`;
  return new Worker<JobData, JobResult>(
    name,
    async (job) => {
      const started = performance.now();
      const results = job.data.tasks.map((task) => runTask(task));
      return { worker: id, results, ms: performance.now() - started };
    },
    {
      // A worker waits on Redis for as long as it takes: no command gives up.
      connection: { url: redis, maxRetriesPerRequest: null },
      name: id, // stored on each job it takes (processedBy)
      concurrency: 1, // one job at a time: the process has one thread to compute on
      lockDuration: LOCK_MS,
      stalledInterval: STALLED_EVERY_MS,
      maxStalledCount: 1, // taken over once; a job that kills its worker twice fails
    },
  );
}

export interface Workers extends AsyncDisposable {
  processes: ChildProcess[];
  /** From the first fork until every worker was waiting on the queue. */
  startupMs: number;
}

const workerFile = new URL('./queue-worker.ts', import.meta.url);

/**
 * End a worker process: closing its channel lets it finish the job in hand
 * and close its Worker; SIGKILL if it has not within 5 s (its job, if any,
 * is then taken over by another worker).
 */
async function end(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  if (child.connected) child.disconnect();
  const hard = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(hard);
}

/** Start `count` worker processes on this machine; each says `ready` once it waits on the queue. */
export async function startWorkers(
  redis: string,
  count: number,
  name = QUEUE_NAME,
): Promise<Workers> {
  const started = performance.now();
  const processes = Array.from({ length: count }, () =>
    fork(workerFile, ['--redis', redis, '--queue', name], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  const killAll = () => {
    for (const child of processes) child.kill('SIGKILL');
  };
  process.once('exit', killAll); // a run ended by process.exit takes its workers with it
  const stop = async () => {
    process.off('exit', killAll);
    await Promise.all(processes.map(end));
  };
  const ready = (child: ChildProcess) =>
    new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`a queue worker exited (code ${code})`)));
    });
  try {
    await Promise.race([
      Promise.all(processes.map(ready)),
      wait(30_000, null, { ref: false }).then(() => {
        throw new Error('the queue workers took longer than 30 s to start');
      }),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { processes, startupMs: performance.now() - started, [Symbol.asyncDispose]: stop };
}

export interface OpenQueue extends AsyncDisposable {
  queue: Queue<JobData, JobResult>;
  /** Redis's event stream for the queue: how the producer hears of each result. */
  events: QueueEvents;
}

/** The producer's side: the queue to add jobs to, and its event stream. */
export async function openQueue(redis: string, name = QUEUE_NAME): Promise<OpenQueue> {
  const connection = { url: redis };
  // Every job adds a few events; keep enough that a reader never misses one.
  const queue = new Queue<JobData, JobResult>(name, {
    connection,
    streams: { events: { maxLen: 200_000 } },
  });
  // From this moment, by the stream's own ids. Left to its default ('$',
  // "whatever comes next"), QueueEvents asks again with '$' each time a
  // blocking read times out before the first event, and an event added
  // between two such reads is never seen: a run would wait for it forever.
  const events = new QueueEvents(name, { connection, lastEventId: `${Date.now()}-0` });
  // A connection's errors are runOnQueue's to report (it listens while it runs); between runs, none is printed.
  queue.on('error', () => {});
  events.on('error', () => {});
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
  return {
    queue,
    events,
    async [Symbol.asyncDispose]() {
      // Leave Redis as it was: this queue's jobs go. Each step bounded, for a Redis that is gone:
      // close() also stops the event reader's loop, which disconnect() alone would leave retrying.
      await within(queue.obliterate({ force: true }), 3000);
      if (!(await within(Promise.all([events.close(), queue.close()]), 3000))) {
        await Promise.all([events.disconnect(), queue.disconnect()]);
      }
    },
  };
}

/** Whether `promise` settled well within `ms`. */
const within = (promise: Promise<unknown>, ms: number) =>
  Promise.race([promise.then(() => true), wait(ms, false, { ref: false })]).catch(() => false);

/**
 * Put the tasks on the queue, `chunk` to a job, and wait for every result.
 * Each job has an id of this run's own, so a result is counted once by its
 * id, whichever worker sent it and however often the job was started.
 */
export async function runOnQueue(
  { queue, events }: OpenQueue,
  tasks: readonly Task[],
  options: { chunk?: number; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<Run> {
  const { chunk = 1, timeoutMs = 600_000, signal } = options;
  const run = randomInt(2 ** 31); // this run's jobs, apart from any other producer's
  const jobs: { name: string; data: JobData; opts: { jobId: string } }[] = [];
  for (let i = 0; i < tasks.length; i += chunk) {
    const data = { tasks: tasks.slice(i, i + chunk) };
    jobs.push({ name: 'sum-of-squares', data, opts: { jobId: `${run}-${jobs.length}` } });
  }
  const byId = new Map(jobs.map((job) => [job.opts.jobId, job.data.tasks]));
  const results: string[] = new Array(tasks.length);
  const perWorker: Record<string, number> = {};
  const seen = new Set<string>();
  let duplicates = 0;
  let computeMs = 0;
  const listeners: [string, (...args: never[]) => void][] = [];
  let lost = (_error: Error) => {};
  const finished = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`not every result came back within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    const settle = (error?: Error) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', stop);
      error ? reject(error) : resolve();
    };
    // Ctrl-C: stop waiting; the jobs left stay on the queue until it is emptied.
    const stop = () => settle(signal?.reason as Error);
    if (signal?.aborted) return stop();
    signal?.addEventListener('abort', stop, { once: true });
    const completed = ({ jobId, returnvalue }: { jobId: string; returnvalue: unknown }) => {
      const chunkTasks = byId.get(jobId);
      if (!chunkTasks) return; // another run's job on the same queue
      if (seen.has(jobId)) {
        duplicates += 1;
        return;
      }
      seen.add(jobId);
      const answer = (
        typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue
      ) as JobResult;
      chunkTasks.forEach((task, i) => {
        results[task.index] = answer.results[i] ?? '';
      });
      perWorker[answer.worker] = (perWorker[answer.worker] ?? 0) + chunkTasks.length;
      computeMs += answer.ms;
      if (seen.size === jobs.length) settle();
    };
    const failed = ({ jobId, failedReason }: { jobId: string; failedReason: string }) => {
      if (byId.has(jobId)) settle(new Error(`job ${jobId} failed: ${failedReason}`));
    };
    // The producer's connection to Redis failed: the queue cannot go on.
    lost = (error: Error) => settle(new Error(`lost Redis: ${error.message}`));
    listeners.push(['completed', completed], ['failed', failed], ['error', lost]);
    for (const [event, listener] of listeners) events.on(event as 'completed', listener as never);
    queue.on('error', lost);
  });
  try {
    // One round trip for every job: addBulk sends them in one pipeline.
    await queue.addBulk(jobs);
    await finished;
  } finally {
    for (const [event, listener] of listeners) events.off(event as 'completed', listener as never);
    queue.off('error', lost);
  }
  return { results, perWorker, jobs: jobs.length, duplicates, computeMs };
}

if (import.meta.main) {
  // A Redis of its own, unless one is given: the example's redis.ts, not the lesson.
  const { startRedis } = await import('./redis.ts');
  const given = process.argv[2];
  await using local = given ? null : await startRedis();
  const redis = given ?? (local?.url as string);
  const tasks = makeTasks('squares', 20, NOTES_BASE);
  await using workers = await startWorkers(redis, availableParallelism());
  await using q = await openQueue(redis);
  const started = performance.now();
  const { results, perWorker } = await runOnQueue(q, tasks);
  const duration = (performance.now() - started) / 1000;
  const total = results.reduce((sum, result) => sum + BigInt(result), 0n);
  const expected = tasks.reduce((sum, task) => sum + sumOfSquaresClosedForm(task.n), 0n);
  console.log(`${workers.processes.length} workers took ${JSON.stringify(perWorker)} tasks`);
  console.log(`Total ${total}, ${total === expected ? 'exact' : `expected ${expected}`}`);
  console.log(`Computed ${tasks.length} sums on the queue in ${duration} seconds`);
}
