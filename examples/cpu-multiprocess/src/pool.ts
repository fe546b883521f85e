// A pool of CPU workers: what the threads and processes strategies share.
//
// Each member takes one task at a time from a shared queue, so a fast member
// simply takes more: no task is run twice, none is lost. A failure ends the
// run: the first task that throws, or a member that dies mid-task, rejects
// with a message naming the task, and every other member is ended at once.
// The promise settles only after every member has exited, so nothing
// outlives the run.
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
  /** The member is gone; `why` says how, e.g. "exit code 1". */
  exit(why: string): void;
}

export interface PoolRun {
  /** results[i] is task i's result. */
  results: string[];
  /** From the pool's start until its last member was ready for work. */
  startupMs: number;
}

export function runPool(
  tasks: readonly Task[],
  size: number,
  start: (events: MemberEvents) => Member,
  signal?: AbortSignal,
): Promise<PoolRun> {
  return new Promise((resolve, reject) => {
    const results: string[] = new Array(tasks.length);
    const clock = stopwatch();
    const members: Member[] = [];
    let startupMs = 0;
    let starting = 0;
    let alive = 0;
    let next = 0;
    let done = 0;
    let failure: Error | null = null;

    const fail = (error: Error) => {
      if (failure) return;
      failure = error;
      for (const member of members) member.stop(true);
    };
    const onAbort = () => fail(new Error('cancelled'));
    signal?.addEventListener('abort', onAbort, { once: true });

    const settle = () => {
      signal?.removeEventListener('abort', onAbort);
      if (failure) reject(failure);
      else resolve({ results, startupMs });
    };

    const spawn = () => {
      let current: Task | null = null;
      let gone = false;
      const feed = () => {
        const task = tasks[next];
        if (failure || task === undefined) {
          current = null;
          return member.stop(failure !== null);
        }
        next += 1;
        current = task;
        member.send(task);
      };
      const member = start({
        message(message) {
          if (message === READY) {
            starting -= 1;
            if (starting === 0) startupMs = clock.elapsedMs();
            return feed();
          }
          if ('error' in message) {
            current = null;
            return fail(new Error(`task ${message.index} failed: ${message.error}`));
          }
          results[message.index] = message.result;
          done += 1;
          current = null;
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
          }
          if (alive === 0) {
            if (!failure && done < tasks.length) {
              failure = new Error('every worker exited before the work was done');
            }
            settle();
          }
        },
      });
      members.push(member);
      alive += 1;
      starting += 1;
    };

    if (tasks.length === 0) return resolve({ results, startupMs: 0 });
    for (let i = 0; i < Math.min(size, tasks.length); i++) spawn();
  });
}
