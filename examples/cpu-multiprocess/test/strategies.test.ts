import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type PoolOptions,
  runAsync,
  runProcesses,
  runSequential,
  runThreads,
} from '../src/cpu-multiprocess.ts';
import { checkTask, makeTasks, type Task } from '../src/job.ts';

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
      // Every task ran exactly once, on some worker.
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

it('starts no more workers than there are tasks', async () => {
  const tasks = makeTasks('squares', 3, 1000);
  expect((await runThreads(tasks, { workers: 8 })).perWorker).toHaveLength(3);
  expect((await runProcesses(tasks, { workers: 8 })).perWorker).toHaveLength(3);
});

it('refuses a pool of no workers rather than wait forever', async () => {
  const tasks = makeTasks('squares', 3, 1000);
  await expect(runThreads(tasks, { workers: 0 })).rejects.toThrow('at least one worker');
  await expect(runProcesses(tasks, { workers: 0 })).rejects.toThrow('at least one worker');
});

/**
 * The best time of each run, taken in turns so that a noisy moment on a shared
 * machine hits them all alike: `rounds` rounds, or fewer once `enough` holds.
 */
async function bestOf<K extends string>(
  rounds: number,
  runs: Record<K, () => Promise<unknown>>,
  enough: (best: Record<K, number>) => boolean = () => false,
) {
  const best = {} as Record<K, number>;
  for (let round = 0; round < rounds; round++) {
    for (const [name, fn] of Object.entries(runs) as [K, () => Promise<unknown>][]) {
      const start = performance.now();
      await fn();
      best[name] = Math.min(best[name] ?? Number.POSITIVE_INFINITY, performance.now() - start);
    }
    if (enough(best)) break;
  }
  return best;
}

describe('speed, measured side by side', () => {
  // About a second of work sequentially on this kind of machine.
  const tasks = makeTasks('squares', 20, 18_000_000);

  it('async is not faster than sequential (beyond noise)', async () => {
    const best = await bestOf(3, {
      sequential: () => runSequential(tasks),
      async: () => runAsync(tasks),
    });
    expect(best.sequential / best.async).toBeLessThan(1.25);
  });

  if (cores < 2) console.warn(`skipped the parallel speedup test: only ${cores} core here`);
  it.skipIf(cores < 2)(
    'threads and processes are each at least 1.4x faster than sequential',
    async () => {
      // Up to five rounds while other work shares the cores; a pool that
      // does not compute in parallel stays near 1x however often it is timed.
      const speedups = (best: Record<'sequential' | 'threads' | 'processes', number>) => [
        best.sequential / best.threads,
        best.sequential / best.processes,
      ];
      const best = await bestOf(
        5,
        {
          sequential: () => runSequential(tasks),
          threads: () => runThreads(tasks, { workers: cores }),
          processes: () => runProcesses(tasks, { workers: cores }),
        },
        (best) => speedups(best).every((speedup) => speedup >= 1.4),
      );
      const [threads, processes] = speedups(best);
      expect(threads).toBeGreaterThanOrEqual(1.4);
      expect(processes).toBeGreaterThanOrEqual(1.4);
    },
  );
});

// What the operating system sees of this process: its threads (each worker
// thread is one) and its child processes (each forked worker is one).
const onLinux = process.platform === 'linux';
function threadsAndChildren() {
  const threads = Number(/Threads:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
  const children = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        // "pid (name) state ppid ...": the name may hold spaces, so read after its ')'.
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid;
      } catch {
        return false; // it exited while we looked
      }
    });
  return { threads, children: children.length };
}
if (!onLinux) console.warn('skipped the leftover checks: they read /proc, which only Linux has');

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);

describe.each([
  ['threads', runThreads],
  ['processes', runProcesses],
] as const)('a %s pool that fails', (name, run) => {
  let before = { threads: 0, children: 0 };
  beforeAll(async () => {
    // One good run first, so that threads Node starts once and keeps (libuv's) are counted.
    await run(makeTasks('squares', 2, 1000), { workers: 2 });
    if (onLinux) before = threadsAndChildren();
  });

  /** Run, expect the run to fail with this message, and expect nothing left running. */
  async function failsCleanly(tasks: Task[], options: PoolOptions, message: RegExp | string) {
    const started = performance.now();
    await expect(run(tasks, options)).rejects.toThrow(message);
    if (onLinux) expect(threadsAndChildren()).toEqual(before);
    return performance.now() - started;
  }

  it('rejects naming the task that threw, and leaves nothing running', async () => {
    const tasks = makeTasks('squares', 8, 3_000_000);
    tasks[5] = { index: 5, kind: 'squares', n: -1 };
    await failsCleanly(tasks, { workers: 2 }, /^task 5 failed: task 5: n must be/);
  });

  it('rejects naming the task whose worker died, and leaves nothing running', async () => {
    const tasks = makeTasks('squares', 8, 1000);
    tasks[5] = { index: 5, kind: 'squares', n: 7 };
    await failsCleanly(
      tasks,
      { workers: 2, workerFile: fixture('faulty-worker.ts') },
      /^task 5 \(n = 7\) failed: its worker died \(exit code 7\)$/,
    );
  });

  it('rejects naming the task whose worker threw uncaught, and leaves nothing running', async () => {
    // A thread reports the exception itself; a process only its exit code
    // (and Node prints the child's stack on the stderr it shares with us:
    // the "Error: boom" in the test output is this test, passing).
    const why = name === 'threads' ? 'threw: boom' : 'exit code 1';
    const tasks = makeTasks('squares', 8, 1000);
    tasks[5] = { index: 5, kind: 'squares', n: 9 };
    await failsCleanly(
      tasks,
      { workers: 2, workerFile: fixture('faulty-worker.ts') },
      `task 5 (n = 9) failed: its worker died (${why})`,
    );
  });

  it('rejects a worker that dies before it takes a task', async () => {
    await failsCleanly(
      makeTasks('squares', 4, 1000),
      { workers: 2, workerFile: fixture('dead-on-arrival.ts') },
      /^worker [01] died before it took a task \(exit code 3\)$/,
    );
  });

  it('rejects a task answered twice', async () => {
    const tasks = makeTasks('squares', 4, 1000);
    tasks[3] = { index: 3, kind: 'squares', n: 2 }; // the last task: its worker is let go next
    await failsCleanly(
      tasks,
      { workers: 2, workerFile: fixture('faulty-worker.ts') },
      /^task 3 was answered twice$/,
    );
  });

  it('ends every other worker at once, even in the middle of a long task', async () => {
    // The first worker ready takes fib(42), seconds of work; the second takes
    // task 1, which fails at once.
    const tasks = [
      { index: 0, kind: 'fib', n: 42 },
      { index: 1, kind: 'squares', n: -1 },
    ] satisfies Task[];
    const ms = await failsCleanly(tasks, { workers: 2 }, /^task 1 failed/);
    expect(ms).toBeLessThan(1500);
  });

  it('stops every worker when the run is cancelled', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const tasks = makeTasks('fib', 4, 42); // seconds of work each
    const ms = await failsCleanly(tasks, { workers: 2, signal: controller.signal }, 'cancelled');
    expect(ms).toBeLessThan(1500);
  });
});
