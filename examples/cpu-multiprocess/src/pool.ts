// A pool of CPU workers: what the threads and processes strategies share.
//
// Each member takes one task at a time from a shared queue, so a fast member
// simply takes more. The pool keeps the books that make "no task is lost or
// run twice" a rule it checks, not a hope: a task leaves the queue once, the
// answer must come from the member that was given it, and each task is
// answered once. A failure ends the run: a task that throws, a member that
// dies (mid-task or before it took one), or an answer out of turn rejects with
// a message naming the task, and every other member is ended at once. The
// promise settles only after every member has exited, so nothing outlives
// the run.
import { stopwatch } from '@lab/harness';
import { type Answer, READY, type Task } from './protocol.ts';

/** One thread or process, as the pool sees it. */
export interface Member {
  send(task: Task): void;
  /** End it: `now` interrupts a task in progress; otherwise it exits once idle. `exit` follows. */
  stop(now: boolean): void;
}

export interface MemberEvents {
  message(message: Answer | typeof READY): void;
  /** The member is gone (call once it has really exited); `why` says how, e.g. "exit code 1". */
  exit(why: string): void;
}

export interface PoolRun {
  /** results[i] is task i's result. */
  results: string[];
  /** From the pool's start until its last member was ready for work. */
  startupMs: number;
  /** How many tasks each member ran; they add up to the number of tasks. */
  perWorker: number[];
  /** The mean time from handing a task to a member until its answer came back. */
  taskMs: number;
}

export function runPool(
  tasks: readonly Task[],
  size: number,
  start: (events: MemberEvents) => Member,
  signal?: AbortSignal,
): Promise<PoolRun> {
  return new Promise((resolve, reject) => {
    const results: string[] = new Array(tasks.length);
    const perWorker: number[] = [];
    const clock = stopwatch();
    const members: Member[] = [];
    let startupMs = 0;
    let starting = 0;
    let alive = 0;
    let next = 0;
    let done = 0;
    let roundTrips = 0;
    let failure: Error | null = null;

    const fail = (error: Error) => {
      if (failure) return;
      failure = error;
      for (const member of members) member.stop(true);
    };
    const onAbort = () => fail(new Error('cancelled'));

    const settle = () => {
      signal?.removeEventListener('abort', onAbort);
      if (!failure && done !== tasks.length) {
        failure = new Error(`${tasks.length - done} tasks were never answered`);
      }
      if (failure) reject(failure);
      else resolve({ results, startupMs, perWorker, taskMs: roundTrips / done });
    };

    const spawn = (id: number) => {
      let current: Task | null = null;
      let sentAt = 0;
      let stopped = false;
      let gone = false;
      perWorker[id] = 0;
      // Hand this member the next task, or let it go when the queue is empty.
      const feed = () => {
        const task = tasks[next];
        if (failure || task === undefined) {
          stopped = true;
          return member.stop(failure !== null);
        }
        next += 1;
        current = task;
        sentAt = clock.elapsedMs();
        member.send(task);
      };
      const member = start({
        message(message) {
          if (message === READY) {
            starting -= 1;
            if (starting === 0) startupMs = clock.elapsedMs();
            return feed();
          }
          const { index } = message;
          if (results[index] !== undefined) {
            return fail(new Error(`task ${index} was answered twice`));
          }
          if (current?.index !== index) {
            return fail(new Error(`task ${index} was answered by a worker that was not given it`));
          }
          current = null;
          if ('error' in message) return fail(new Error(`task ${index} failed: ${message.error}`));
          results[index] = message.result;
          roundTrips += clock.elapsedMs() - sentAt;
          done += 1;
          perWorker[id] = (perWorker[id] ?? 0) + 1;
          feed();
        },
        exit(why) {
          if (gone) return;
          gone = true;
          alive -= 1;
          if (current) {
            fail(
              new Error(
                `task ${current.index} (n = ${current.n}) failed: its worker died (${why})`,
              ),
            );
          } else if (!stopped && !failure) {
            fail(new Error(`worker ${id} died before it took a task (${why})`));
          }
          if (alive === 0) settle();
        },
      });
      members.push(member);
      alive += 1;
      starting += 1;
    };

    // With no member nothing would ever settle the run: refuse it at once.
    if (!Number.isInteger(size) || size < 1) {
      return reject(new RangeError(`a pool needs at least one worker, got ${size}`));
    }
    if (signal?.aborted) return reject(new Error('cancelled'));
    if (tasks.length === 0) return resolve({ results, startupMs: 0, perWorker: [], taskMs: 0 });
    signal?.addEventListener('abort', onAbort, { once: true });
    for (let id = 0; id < Math.min(size, tasks.length); id++) spawn(id);
  });
}
