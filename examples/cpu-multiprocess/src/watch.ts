// What the harness sees of the pools' workers, from Node's own events and
// nothing the lesson hands it: `process.on('worker')` fires as each worker
// thread is created, the `child_process` diagnostics channel as each child
// process is, and each one's 'message' events are its answers. From those
// times alone come the figures the summary prints:
//
//   tasks each  how many answers each worker gave in the run
//   per task    the mean time between one worker's answers: a round trip,
//               the task and its two messages (the pool hands a worker its
//               next task as it answers the last)
//   start-up    from the first worker created until the last could begin
//               its first task: its first answer less its time per task
//               (so a first task slower than the rest, the job's code not
//               yet compiled in that worker, counts as start-up too: it is
//               paid once per worker, as the start is)
import type { ChildProcess } from 'node:child_process';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Worker } from 'node:worker_threads';

export interface Seen {
  kind: 'thread' | 'process';
  createdAt: number;
  /** When each of its messages arrived. */
  answers: number[];
}

export interface Mark {
  at: number;
  /** How many workers had been seen by then. */
  count: number;
}

export interface Watch extends Disposable {
  mark(): Mark;
  /** The workers created since the mark. */
  createdSince(mark: Mark): Seen[];
}

export function watchWorkers(): Watch {
  const seen: Seen[] = [];
  const track = (kind: Seen['kind'], emitter: Worker | ChildProcess) => {
    const record: Seen = { kind, createdAt: performance.now(), answers: [] };
    seen.push(record);
    emitter.on('message', () => record.answers.push(performance.now()));
  };
  const onThread = (worker: Worker) => track('thread', worker);
  const onProcess = (message: unknown) =>
    track('process', (message as { process: ChildProcess }).process);
  process.on('worker', onThread);
  subscribe('child_process', onProcess);
  return {
    mark: () => ({ at: performance.now(), count: seen.length }),
    createdSince: (mark) => seen.slice(mark.count),
    [Symbol.dispose]() {
      process.off('worker', onThread);
      unsubscribe('child_process', onProcess);
    },
  };
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

export interface PoolSeen {
  perWorker: number[];
  /** The mean time between a worker's answers; null when no worker answered twice. */
  taskMs: number | null;
  startupMs: number;
}

/**
 * What `workers` did between `from` and `to`. Start-up counts only for
 * workers created in that window (a warm pool's were created before it);
 * a worker that answered once is taken to take the others' time per task,
 * or `fallbackTaskMs`.
 */
export function poolSeen(workers: Seen[], from: number, to: number, fallbackTaskMs = 0): PoolSeen {
  const answers = workers.map((w) => w.answers.filter((t) => t >= from && t <= to));
  const gapsOf = (times: number[]) => times.slice(1).map((t, i) => t - (times[i] as number));
  const gaps = answers.flatMap(gapsOf);
  const taskMs = gaps.length > 0 ? mean(gaps) : null;
  // Each worker created in the window could begin its first task when its
  // first answer came, less the time a task takes it.
  const ready = workers.flatMap((w, i) => {
    const own = answers[i] ?? [];
    if (w.createdAt < from || own.length === 0) return [];
    const perTask = own.length > 1 ? mean(gapsOf(own)) : (taskMs ?? fallbackTaskMs);
    return [{ created: w.createdAt, ready: (own[0] as number) - perTask }];
  });
  const startupMs =
    ready.length === 0
      ? 0
      : Math.max(
          0,
          Math.max(...ready.map((r) => r.ready)) - Math.min(...ready.map((r) => r.created)),
        );
  return { perWorker: answers.map((a) => a.length), taskMs, startupMs };
}
