import { describe, expect, it } from 'vitest';
import {
  allSettledWithFailure,
  allWithFailure,
  concurrent,
  group,
  groupWithFailure,
  sequential,
  stateOf,
} from '../src/async-basics.ts';
import { awaitFuture, awaitThenable, blockingVersusExecutor } from '../src/awaitables.ts';
import type { SayOptions } from '../src/say-after.ts';
import { TaskGroup } from '../src/task-group.ts';

const scale = 0.05; // the notes' 1 s and 2 s become 50 ms and 100 ms
const collect = () => {
  const said: string[] = [];
  const options: SayOptions = { scale, say: (what) => said.push(what) };
  return { said, options };
};
const timeOf = async (fn: () => Promise<unknown>) => {
  const start = performance.now();
  await fn();
  return performance.now() - start;
};
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('say_after, three ways', () => {
  it('awaiting one after the other takes about the sum (1 + 2)', async () => {
    const { said, options } = collect();
    const ms = await timeOf(() => sequential(options));
    expect(said).toEqual(['hello', 'world']);
    expect(ms).toBeGreaterThanOrEqual(150 * 0.95);
  });

  it('starting both first takes about the longer one (2), and so does a task group', async () => {
    for (const way of [concurrent, group]) {
      const { said, options } = collect();
      const ms = await timeOf(() => way(options));
      expect(said).toEqual(['hello', 'world']);
      expect(ms).toBeGreaterThanOrEqual(100 * 0.95);
      expect(ms).toBeLessThan(150 * 0.9);
    }
  });
});

describe('a task group', () => {
  it('cancels its other tasks when one fails, and rethrows the first error', async () => {
    const { said, options } = collect();
    const error = await groupWithFailure(options);
    expect((error as Error).message).toBe('task failed');
    await wait(150); // long past when 'world' would have been said
    expect(said).toEqual(['hello', 'failing now']);
  });

  it('rethrows the first of two failures', async () => {
    const tg = new TaskGroup();
    tg.create(async () => {
      await wait(10);
      throw new Error('first');
    });
    tg.create(async () => {
      await wait(30);
      throw new Error('second');
    });
    await expect(tg.wait()).rejects.toThrow('first');
  });

  it('waits for tasks that were still running, also ones that ignore the signal', async () => {
    const tg = new TaskGroup();
    let finished = false;
    tg.create(async () => {
      await wait(40);
      finished = true;
    });
    await tg.wait();
    expect(finished).toBe(true);
  });
});

describe('Promise.all and Promise.allSettled, for comparison', () => {
  it('Promise.all rejects at the failure but leaves the others running', async () => {
    const { said, options } = collect();
    const error = await allWithFailure(options);
    expect((error as Error).message).toBe('task failed');
    expect(said).toEqual(['hello', 'failing now']);
    await wait(120);
    expect(said).toEqual(['hello', 'failing now', 'world']); // said after all, to nobody
  });

  it('Promise.allSettled waits for all and reports each', async () => {
    const { options } = collect();
    expect(await allSettledWithFailure(options)).toEqual([
      'fulfilled: hello',
      'rejected: task failed',
      'fulfilled: world',
    ]);
  });
});

describe('the loop, tasks and awaitables', () => {
  it('shows a promise pending, then with its value, then rejected', async () => {
    const later = wait(20).then(() => 'done');
    expect(stateOf(later)).toBe('<pending>');
    await later;
    expect(stateOf(later)).toBe("'done'");
    const failed = Promise.reject(new Error('no'));
    failed.catch(() => {});
    expect(stateOf(failed)).toMatch(/^<rejected>/);
  });

  it('awaits a thenable and a future like any promise', async () => {
    expect(await awaitThenable()).toBe('a thenable');
    expect(await awaitFuture()).toBe('a future, resolved from outside');
  });

  it('keeps the loop ticking when the blocking call runs on the thread pool', async () => {
    const { blocked, offloaded } = await blockingVersusExecutor();
    expect(offloaded).toBeGreaterThan(blocked + 3);
  });
});
