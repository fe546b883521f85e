// The work each route does, in one place, so that every way of handling a
// request does exactly the same thing and only where it runs differs.
//
//   sleep    L ms of waiting that holds its thread: Atomics.wait parks the
//            thread without using the CPU, which is what Python's
//            time.sleep(0.1) does inside a path operation. On the event
//            loop's thread it stops the whole server for L ms.
//   compute  the notes' CPU job (@lab/job), sized so one request takes
//            about L ms here: the same answer on any thread, checked.
//   hash     crypto.pbkdf2, sized the same way: the kind of CPU work Node
//            itself sends to libuv's threadpool when called asynchronously.
import { pbkdf2Sync } from 'node:crypto';
import { calibrate, MAX_N, makeTasks, runTask, type Task } from '@lab/job';

const parked = new Int32Array(new SharedArrayBuffer(4));

/** Hold this thread for `ms` without computing: time.sleep, not asyncio.sleep. */
export function sleepBlocking(ms: number): void {
  // Nothing ever notifies this cell, so the wait always runs to its timeout.
  Atomics.wait(parked, 0, 0, ms);
}

/** What a pool member is asked to do. */
export type WorkTask = { kind: 'sleep'; ms: number } | { kind: 'compute'; tasks: Task[] };

/** Run one request's CPU job; its result is checked by the job's closed form. */
export function compute(tasks: readonly Task[]): string {
  return tasks.map((task) => runTask(task)).join(',');
}

export const HASH = { password: 'serve', salt: 'concurrency-lab', bytes: 32, digest: 'sha256' };

/** The sizes of the CPU work, chosen once on this machine for about `ms` each. */
export interface Sizes {
  /** The job's tasks for one request (usually one number; more where the largest is too small). */
  tasks: Task[];
  /** pbkdf2 iterations for about the same time. */
  iterations: number;
}

/** Size the job and the hash so that each takes about `ms` on one core here. */
export function sizeWork(ms: number): Sizes {
  // Where even the largest exact n takes less than `ms` here, the job takes
  // more numbers, each a share of the time (calibrate's own answer would
  // give each the largest n, and take longer than asked).
  const sizing = calibrate('squares', 1, ms / 1000);
  const count = sizing.numbers;
  const msPerStep = sizing.expectedMs / (count * sizing.base + (count * (count - 1)) / 2);
  const n = Math.max(1000, Math.round(ms / count / msPerStep));
  const tasks = makeTasks('squares', count, Math.min(n, MAX_N - count + 1));
  // pbkdf2 costs in proportion to its iterations: time a small run, scale it.
  const probe = 20_000;
  const time = () => {
    const started = performance.now();
    pbkdf2Sync(HASH.password, HASH.salt, probe, HASH.bytes, HASH.digest);
    return performance.now() - started;
  };
  const perIteration = Math.min(time(), time(), time()) / probe;
  return { tasks, iterations: Math.max(1000, Math.round(ms / perIteration)) };
}

/** The fastest of three runs of `fn`, in ms: what the work costs when it has a core to itself. */
export function fastestMs(fn: () => unknown): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    fn();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}
