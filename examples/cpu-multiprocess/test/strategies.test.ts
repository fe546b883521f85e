import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { calibrate, checkTask, jobMember, makeTasks, type Task } from '@lab/job';
import { predictSpeedup, startPool } from '@lab/pool';
import { describe, expect, it } from 'vitest';
import {
  type Run,
  runAsync,
  runOnWarmPool,
  runProcesses,
  runSequential,
  runThreads,
} from '../src/cpu-multiprocess.ts';

const cores = availableParallelism();
const workers = 2;
const strategies = {
  sequential: (tasks: Task[]) => runSequential(tasks),
  async: (tasks: Task[]) => runAsync(tasks),
  threads: (tasks: Task[]) => runThreads(tasks, { workers }),
  processes: (tasks: Task[]) => runProcesses(tasks, { workers }),
};
const sum = (counts: number[]) => counts.reduce((a, b) => a + b, 0);

describe.each(Object.entries(strategies))('the %s strategy', (_name, run) => {
  it('gives every exact answer, in task order, for both jobs', async () => {
    for (const tasks of [makeTasks('squares', 12, 200_000), makeTasks('fib', 6, 20)]) {
      const { results, perWorker } = await run(tasks);
      expect(results).toHaveLength(tasks.length);
      expect(tasks.every((task, i) => checkTask(task, results[i] ?? ''))).toBe(true);
      // Every task ran exactly once, on some member.
      expect(sum(perWorker)).toBe(tasks.length);
    }
  });

  it('gives the exact answer past 2^53', async () => {
    const tasks = makeTasks('squares', 2, 5_000_000);
    const { results } = await run(tasks);
    expect(results[0]).toBe('41666654166667500000');
    expect(BigInt(results[1] ?? 0)).toBeGreaterThan(2n ** 53n);
  });
});

it('starts no more members than there are tasks', async () => {
  const tasks = makeTasks('squares', 3, 1000);
  expect((await runThreads(tasks, { workers: 8 })).perWorker).toHaveLength(3);
  expect((await runProcesses(tasks, { workers: 8 })).perWorker).toHaveLength(3);
});

it('refuses a pool of no members rather than wait forever', async () => {
  const tasks = makeTasks('squares', 3, 1000);
  await expect(runThreads(tasks, { workers: 0 })).rejects.toThrow('at least one member');
  await expect(runProcesses(tasks, { workers: 0 })).rejects.toThrow('at least one member');
});

it('names a task that throws on a member', async () => {
  const tasks = makeTasks('squares', 6, 1000);
  tasks[4] = { index: 4, kind: 'squares', n: -1 };
  await expect(runThreads(tasks, { workers: 2 })).rejects.toThrow(
    /^task 4 failed: task 4: n must be/,
  );
  await expect(runProcesses(tasks, { workers: 2 })).rejects.toThrow(
    /^task 4 failed: task 4: n must be/,
  );
});

// Plain threads that run the same job with no pool around them: what the
// machine's cores give on this work (see fixtures/job-thread.ts).
const plainThread = () => new Worker(new URL('./fixtures/job-thread.ts', import.meta.url));
/** Each plain thread runs the same tasks, one after another, all threads at once. */
const runOnPlainThreads = (threads: Worker[], tasks: Task[]) =>
  Promise.all(
    threads.map(async (thread) => {
      for (const task of tasks) {
        await new Promise((resolve) => {
          thread.once('message', resolve);
          thread.postMessage(task);
        });
      }
    }),
  );

/**
 * The best of up to `rounds` turns of each run, taken in turns so a noisy
 * moment hits them all alike; fewer once `enough` holds. (These machines'
 * cores change speed from one second to the next.)
 */
async function bestOf<K extends string, T>(
  rounds: number,
  runs: Record<K, () => Promise<T>>,
  enough: (best: Record<K, { ms: number; value: T }>) => boolean = () => false,
) {
  const best = {} as Record<K, { ms: number; value: T }>;
  for (let round = 0; round < rounds; round++) {
    for (const [name, fn] of Object.entries(runs) as [K, () => Promise<T>][]) {
      const start = performance.now();
      const value = await fn();
      const ms = performance.now() - start;
      if (!(best[name]?.ms <= ms)) best[name] = { ms, value };
    }
    if (enough(best)) break;
  }
  return best;
}

describe('speed, against what this machine measured', () => {
  // About half a second of work sequentially, on whatever machine this is.
  const tasks = makeTasks('squares', 20, calibrate('squares', 20, 0.5).base);

  it('async is not faster than sequential (beyond noise)', async () => {
    const best = await bestOf(
      5,
      { sequential: () => runSequential(tasks), async: () => runAsync(tasks) },
      (best) => best.sequential.ms / best.async.ms < 1.25,
    );
    expect(best.sequential.ms / best.async.ms).toBeLessThan(1.25);
  });

  if (cores < 2) console.warn(`skipped the parallel speed tests: only ${cores} core here`);

  it.skipIf(cores < 2)(
    'two warm members compute at least 1.4x the tasks per second of one, or all the machine gives',
    async () => {
      // The steady state, with start-up out of the picture: the same pool
      // code with one member and with two, each started before the clock.
      // Some machines' two cores are not independent (a host's other
      // guests, shared caches and clocks): there, two plain threads running
      // the same job side by side, measured in the same rounds, set what two
      // members can reach.
      const some = tasks.slice(0, 5);
      for (const kind of ['thread', 'process'] as const) {
        const pools = {
          one: await startPool<Task, string>({ kind, file: jobMember, size: 1 }),
          two: await startPool<Task, string>({ kind, file: jobMember, size: 2 }),
        };
        const plain = [plainThread(), plainThread()];
        try {
          // One pass each first: every member and thread has compiled the job.
          await runOnWarmPool(pools.one, tasks);
          await runOnWarmPool(pools.two, tasks);
          await runOnPlainThreads(plain, some);
          type Best = Record<'one' | 'two' | 'plainOne' | 'plainTwo', { ms: number }>;
          const members = (best: Best) => best.one.ms / best.two.ms;
          const machine = (best: Best) => (2 * best.plainOne.ms) / best.plainTwo.ms;
          const floor = (best: Best) => Math.min(1.4, 0.85 * machine(best));
          const best = await bestOf<keyof Best, unknown>(
            6,
            {
              one: () => runOnWarmPool(pools.one, tasks),
              two: () => runOnWarmPool(pools.two, tasks),
              plainOne: () => runOnPlainThreads(plain.slice(0, 1), some),
              plainTwo: () => runOnPlainThreads(plain, some),
            },
            (best) => members(best) >= floor(best),
          );
          const why = `${kind}: two members ${members(best).toFixed(2)}x one; two plain threads ${machine(best).toFixed(2)}x one`;
          expect(members(best), why).toBeGreaterThanOrEqual(floor(best));
        } finally {
          await Promise.all([
            pools.one.close(),
            pools.two.close(),
            ...plain.map((thread) => thread.terminate()),
          ]);
        }
      }
    },
  );

  it.skipIf(cores < 2)(
    'cold pools come within a generous factor of the speedup their model predicts',
    async () => {
      // The model takes this run's own numbers: the sequential time, the
      // pool's measured start-up and time per task, the members and the
      // cores. A slow machine has a slower start-up and a lower prediction;
      // the test holds on both. A pool that did not run its members side by
      // side would take twice the rounds the model counts, and fail.
      const ratio = (
        best: Record<'sequential' | 'threads' | 'processes', { ms: number; value: Run }>,
        kind: 'threads' | 'processes',
      ) => {
        const { ms, value } = best[kind];
        const predicted = predictSpeedup({
          workMs: best.sequential.ms,
          tasks: tasks.length,
          members: 2,
          cores,
          startupMs: value.startupMs,
          taskMs: value.taskMs as number,
        });
        const measured = best.sequential.ms / ms;
        return { measured, predicted, share: measured / predicted };
      };
      const best = await bestOf(
        5,
        {
          sequential: () => runSequential(tasks),
          threads: () => runThreads(tasks, { workers: 2 }),
          processes: () => runProcesses(tasks, { workers: 2 }),
        },
        (best) => ratio(best, 'threads').share > 0.7 && ratio(best, 'processes').share > 0.7,
      );
      for (const kind of ['threads', 'processes'] as const) {
        const { measured, predicted, share } = ratio(best, kind);
        expect(
          share,
          `${kind}: ${measured.toFixed(2)}x against ${predicted.toFixed(2)}x predicted`,
        ).toBeGreaterThan(0.7);
      }
    },
  );
});
