import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { concurrent, group, sequential } from '../src/async-basics.ts';
import { awaitFuture, awaitThenable } from '../src/awaitables.ts';
import {
  allSettledWithFailure,
  allWithFailure,
  groupWithFailure,
  whenOneFails,
} from '../src/failures.ts';
import type { SayOptions } from '../src/say-after.ts';
import { TaskGroup } from '../src/task-group.ts';
import { stateOf, watchTasks } from '../src/task-states.ts';

// The notes' own seconds, on fake timers: every line the lesson prints is
// recorded with the (fake) millisecond it was printed at, so order and timing
// are exact and no test waits for a real clock.
async function timeline(fn: (options: SayOptions) => Promise<unknown>, signal?: AbortSignal) {
  const start = Date.now();
  const said: [ms: number, what: string][] = [];
  const at = (what: string) => what.replace(/\d\d:\d\d:\d\d/, 'HH:MM:SS');
  vi.spyOn(console, 'log').mockImplementation((what: string) => {
    said.push([Date.now() - start, at(what)]);
  });
  const done = fn({ scale: 1, signal });
  done.catch(() => {}); // looked at below
  await vi.runAllTimersAsync();
  return { said, done };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('say_after, three ways', () => {
  it('awaiting one after the other takes the sum: world at 1 + 2 = 3 s', async () => {
    expect((await timeline(sequential)).said).toEqual([
      [0, 'started at HH:MM:SS'],
      [1000, 'hello'],
      [3000, 'world'],
      [3000, 'finished at HH:MM:SS'],
    ]);
  });

  it('starting both first takes the longer one: world at 2 s, and so in a task group', async () => {
    for (const way of [concurrent, group]) {
      expect((await timeline(way)).said).toEqual([
        [0, 'started at HH:MM:SS'],
        [1000, 'hello'],
        [2000, 'world'],
        [2000, 'finished at HH:MM:SS'],
      ]);
    }
  });
});

describe('a task group', () => {
  it('cancels its other tasks when one fails, and rethrows the first error', async () => {
    const { said, done } = await timeline(groupWithFailure);
    expect(((await done) as Error).message).toBe('task failed');
    // All timers have run, long past 2 s: 'world' was never said.
    expect(said).toEqual([
      [250, 'hello'],
      [500, 'failing now'],
    ]);
  });

  it('rethrows the first of two failures', async () => {
    const tg = new TaskGroup();
    tg.create(() => new Promise((_, reject) => setTimeout(() => reject(new Error('first')), 10)));
    tg.create(() => new Promise((_, reject) => setTimeout(() => reject(new Error('second')), 30)));
    const waited = expect(tg.wait()).rejects.toThrow('first');
    await vi.runAllTimersAsync();
    await waited;
  });

  it('waits for tasks that were still running, also ones that ignore the signal', async () => {
    const tg = new TaskGroup();
    let finished = false;
    tg.create(() => new Promise<void>((resolve) => setTimeout(() => resolve(), 40)));
    tg.create(async () => {
      throw new Error('failed at once');
    });
    tg.create(
      () =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            finished = true;
            resolve();
          }, 40),
        ),
    );
    const waited = tg.wait().catch((error: Error) => error.message);
    await vi.runAllTimersAsync();
    expect([await waited, finished]).toEqual(['failed at once', true]);
  });

  it('is cancelled as a whole by the signal it was given (Ctrl-C), and says so', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('cancelled by SIGINT')), 1500);
    const { said, done } = await timeline(group, controller.signal);
    await expect(done).rejects.toThrow('cancelled by SIGINT');
    expect(said).toEqual([
      [0, 'started at HH:MM:SS'],
      [1000, 'hello'],
    ]);
  });
});

describe('Promise.all and Promise.allSettled, for comparison', () => {
  it('Promise.all rejects at the failure but leaves the others running', async () => {
    let rejectedAt = -1;
    const start = Date.now();
    const { said } = await timeline((options) =>
      allWithFailure(options).then(() => {
        rejectedAt = Date.now() - start;
      }),
    );
    expect(rejectedAt).toBe(500);
    expect(said).toEqual([
      [250, 'hello'],
      [500, 'failing now'],
      [2000, 'world'], // said after all, to nobody
    ]);
  });

  it('Promise.allSettled waits for all and reports each', async () => {
    const { said, done } = await timeline(allSettledWithFailure);
    expect(said.at(-1)).toEqual([2000, 'world']);
    expect(await done).toEqual(['fulfilled: hello', 'rejected: task failed', 'fulfilled: world']);
  });

  it('tells the three apart, in the order things happen', async () => {
    const { said } = await timeline(whenOneFails);
    expect(said.map(([, what]) => what)).toEqual([
      'TaskGroup:',
      'hello',
      'failing now',
      '  rethrew: task failed; world was cancelled',
      'Promise.all:',
      'hello',
      'failing now',
      '  rejected: task failed; world still running...',
      'world',
      'Promise.allSettled:',
      'hello',
      'failing now',
      'world',
      '  fulfilled: hello',
      '  rejected: task failed',
      '  fulfilled: world',
    ]);
  });
});

describe('the loop, tasks and awaitables', () => {
  it('shows a promise pending, then with its value, then rejected', async () => {
    const later = new Promise((resolve) => setTimeout(() => resolve('done'), 20));
    expect(stateOf(later)).toBe('<pending>');
    await vi.runAllTimersAsync();
    expect(stateOf(later)).toBe("'done'");
    const failed = Promise.reject(new Error('no'));
    failed.catch(() => {});
    expect(stateOf(failed)).toMatch(/^<rejected>/);
  });

  it('watches three tasks from outside as they settle', async () => {
    const { said } = await timeline(watchTasks);
    const states = said.map(([ms, what]) => [ms, what.replace(/; loop waits on .*/, '')]);
    expect(states).toEqual([
      [0, 'at 0 s: task1 <pending>, task2 <pending>, task3 <pending>'],
      [500, 'failing now'],
      [1000, 'hello'],
      [1500, "at 1.5 s: task1 'hello', task2 <pending>, task3 <rejected> Error: task failed"],
      [2000, 'world'],
      [2000, "at 2 s: task1 'hello', task2 'world', task3 <rejected> Error: task failed"],
    ]);
  });

  it('awaits a thenable and a future like any promise', async () => {
    const both = Promise.all([awaitThenable(), awaitFuture()]);
    await vi.runAllTimersAsync();
    expect(await both).toEqual(['a thenable', 'a future, resolved from outside']);
  });
});
