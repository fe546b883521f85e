import { checkTask, makeTasks, type Task } from '@lab/job';
import { describe, expect, it } from 'vitest';
import {
  findSumsAsync,
  findSumsProcesses,
  findSumsSequential,
  findSumsThreads,
  openThreadPool,
} from '../src/cpu-multiprocess.ts';
import { poolSeen, watchWorkers } from '../src/watch.ts';

const workers = 2;
const strategies = {
  sequential: async (tasks: Task[]) => findSumsSequential(tasks),
  async: (tasks: Task[]) => findSumsAsync(tasks),
  threads: (tasks: Task[]) => findSumsThreads(tasks, workers),
  processes: (tasks: Task[]) => findSumsProcesses(tasks, workers),
};
const sum = (counts: number[]) => counts.reduce((a, b) => a + b, 0);

/** A run, and what the harness's watch saw of its workers (none on the main thread). */
async function watched(run: () => Promise<string[]>) {
  using watch = watchWorkers();
  const mark = watch.mark();
  const results = await run();
  const workers = watch.createdSince(mark);
  return { results, workers, seen: poolSeen(workers, mark.at, performance.now()) };
}

describe.each(Object.entries(strategies))('the %s strategy', (name, run) => {
  it('gives every exact answer, in task order, for both jobs', async () => {
    for (const tasks of [makeTasks('squares', 12, 200_000), makeTasks('fib', 6, 20)]) {
      const { results, workers, seen } = await watched(() => run(tasks));
      expect(results).toHaveLength(tasks.length);
      expect(tasks.every((task, i) => checkTask(task, results[i] ?? ''))).toBe(true);
      // Every task ran exactly once, on some worker: one answer each, seen from outside.
      const onMain = name === 'sequential' || name === 'async';
      expect(workers).toHaveLength(onMain ? 0 : 2);
      if (!onMain) expect(sum(seen.perWorker)).toBe(tasks.length);
    }
  });

  it('gives the exact answer past 2^53', async () => {
    const tasks = makeTasks('squares', 2, 5_000_000);
    const results = await run(tasks);
    expect(results[0]).toBe('41666654166667500000');
    expect(BigInt(results[1] ?? 0)).toBeGreaterThan(2n ** 53n);
  });
});

it('starts no more workers than there are tasks', async () => {
  const tasks = makeTasks('squares', 3, 1000);
  expect((await watched(() => findSumsThreads(tasks, 8))).workers).toHaveLength(3);
  expect((await watched(() => findSumsProcesses(tasks, 8))).workers).toHaveLength(3);
});

it('refuses a pool of no members rather than wait forever', async () => {
  const tasks = makeTasks('squares', 3, 1000);
  await expect(findSumsThreads(tasks, 0)).rejects.toThrow('at least one member');
  await expect(findSumsProcesses(tasks, 0)).rejects.toThrow('at least one member');
});

it('names a task that throws on a worker', async () => {
  const tasks = makeTasks('squares', 6, 1000);
  tasks[4] = { index: 4, kind: 'squares', n: -1 };
  await expect(findSumsThreads(tasks, 2)).rejects.toThrow(/^task 4 failed: task 4: n must be/);
  await expect(findSumsProcesses(tasks, 2)).rejects.toThrow(/^task 4 failed: task 4: n must be/);
});

it('a pool kept open runs batch after batch, and stops when an abort ends its workers', async () => {
  const tasks = makeTasks('squares', 4, 1000);
  await using pool = openThreadPool(2);
  expect(await pool.map(tasks)).toEqual(findSumsSequential(tasks));
  expect(await pool.map(tasks.slice(1))).toEqual(findSumsSequential(tasks.slice(1)));
  const controller = new AbortController();
  const running = pool.map(makeTasks('squares', 4, 20_000_000), controller.signal);
  controller.abort(new Error('cancelled'));
  await expect(running).rejects.toThrow('cancelled');
  await expect(pool.map(tasks)).rejects.toThrow('the pool has stopped: cancelled');
});

it('a worker that dies fails the run, naming its task and how, and ends the others', async () => {
  const { subscribe, unsubscribe } = await import('node:diagnostics_channel');
  const tasks = makeTasks('squares', 4, 30_000_000);
  // Kill the first worker of each kind as soon as it exists, from outside.
  const onThread = (worker: import('node:worker_threads').Worker) => {
    process.off('worker', onThread);
    worker.once('online', () => void worker.terminate());
  };
  process.on('worker', onThread);
  await expect(findSumsThreads(tasks, 2)).rejects.toThrow(
    /^task \d failed: its thread died \(exit code 1\)$/,
  );
  const onProcess = (message: unknown) => {
    unsubscribe('child_process', onProcess);
    const child = (message as { process: import('node:child_process').ChildProcess }).process;
    child.once('spawn', () => child.kill('SIGKILL'));
  };
  subscribe('child_process', onProcess);
  await expect(findSumsProcesses(tasks, 2)).rejects.toThrow(
    /^task \d failed: its process died \(killed by SIGKILL\)$/,
  );
});
