import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runAsync, runProcesses, runSequential, runThreads } from '../src/cpu-multiprocess.ts';
import { checkTask, makeTasks, type Task } from '../src/job.ts';

const cores = availableParallelism();
const workers = 2;
const strategies = {
  sequential: (tasks: Task[]) => runSequential(tasks),
  async: (tasks: Task[]) => runAsync(tasks),
  threads: (tasks: Task[]) => runThreads(tasks, { workers }),
  processes: (tasks: Task[]) => runProcesses(tasks, { workers }),
};

/** How many task-worker processes are alive right now (none should outlive a run). */
const livingWorkers = () =>
  execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('task-worker.ts') || line.includes('dying-worker.ts')).length;

const timeOf = async (fn: () => Promise<unknown>) => {
  const start = performance.now();
  await fn();
  return performance.now() - start;
};

describe.each(Object.entries(strategies))('the %s strategy', (_name, run) => {
  it('gives every exact answer, in task order, for both jobs', async () => {
    for (const tasks of [makeTasks('squares', 12, 200_000), makeTasks('fib', 6, 20)]) {
      const { results } = await run(tasks);
      expect(results).toHaveLength(tasks.length);
      expect(tasks.every((task, i) => checkTask(task, results[i]!))).toBe(true);
    }
  });
});

describe('speed, measured side by side', () => {
  // About a second of work sequentially on this kind of machine.
  const tasks = makeTasks('squares', 20, 18_000_000);

  it('async is not faster than sequential (beyond noise)', async () => {
    const sequentialMs = await timeOf(() => runSequential(tasks));
    const asyncMs = await timeOf(() => runAsync(tasks));
    expect(asyncMs).toBeGreaterThan(sequentialMs * 0.8);
  });

  it.skipIf(cores < 2)(
    'threads and processes are each at least 1.4x faster than sequential',
    async () => {
      const sequentialMs = await timeOf(() => runSequential(tasks));
      const threadsMs = await timeOf(() => runThreads(tasks, { workers: cores }));
      const processesMs = await timeOf(() => runProcesses(tasks, { workers: cores }));
      expect(sequentialMs / threadsMs).toBeGreaterThanOrEqual(1.4);
      expect(sequentialMs / processesMs).toBeGreaterThanOrEqual(1.4);
    },
  );
  if (cores < 2) console.warn(`skipped the parallel speedup test: ${cores} core available`);
});

describe.each([
  ['threads', runThreads],
  ['processes', runProcesses],
] as const)('a %s pool that fails', (_name, run) => {
  it('rejects naming the task whose worker threw, and leaves nothing running', async () => {
    const tasks = makeTasks('squares', 8, 3_000_000);
    tasks[5] = { index: 5, kind: 'squares', n: -1 };
    await expect(run(tasks, { workers: 2 })).rejects.toThrow(/^task 5 failed: task 5: n must be/);
    expect(livingWorkers()).toBe(0);
  });

  it('rejects naming the task whose worker died, and leaves nothing running', async () => {
    const tasks = makeTasks('squares', 4, 1000);
    const workerFile = new URL('./fixtures/dying-worker.ts', import.meta.url);
    await expect(run(tasks, { workers: 2, workerFile })).rejects.toThrow(
      /^task [01] \(n = \d+\) failed: its worker died \(exit code 7\)$/,
    );
    expect(livingWorkers()).toBe(0);
  });

  it('stops every worker when the run is cancelled', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const tasks = makeTasks('squares', 8, 60_000_000);
    await expect(run(tasks, { workers: 2, signal: controller.signal })).rejects.toThrow(
      'cancelled',
    );
    expect(livingWorkers()).toBe(0);
  });
});
