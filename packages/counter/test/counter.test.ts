import { Worker } from 'node:worker_threads';
import { parseOptions, UsageError } from '@lab/harness';
import { describe, expect, it } from 'vitest';
import { checkTotal, counterOptions, strategyOption } from '../src/cli.ts';
import { type Counter, countOutcome, measureCount } from '../src/measure.ts';

const parse = (args: string[]) => {
  const values = parseOptions(args, counterOptions, 'usage');
  checkTotal(values);
  return values;
};

describe("the counters' options", () => {
  it('takes W threads of K increments, 4 x 1,000,000 by default', () => {
    expect(parse([])).toEqual({ workers: 4, increments: 1_000_000 });
    expect(parse(['--workers', '16', '--increments', '1250000'])).toMatchObject({ workers: 16 });
  });

  it.each([
    [['--workers', '0'], '--workers'],
    [['--workers', '17'], '--workers'],
    [['--workers', '-1'], '--workers'],
    [['--increments', '20000001'], '--increments'],
    [['--increments', '1.5'], '--increments'],
    [['--increments', 'many'], '--increments'],
    [['--increments'], '--increments'],
    [['--workers', '16', '--increments', '1250001'], '--increments'], // past MAX_TOTAL in all
  ])('rejects %j with a UsageError naming %s', (args, flag) => {
    expect(() => parse(args)).toThrow(UsageError);
    expect(() => parse(args)).toThrow(flag);
  });
});

describe('--strategy', () => {
  const spec = { strategy: strategyOption(['threads', 'async-await']) };
  it('takes one run by name, or all of them by default', () => {
    expect(parseOptions([], spec, 'usage')).toEqual({ strategy: 'all' });
    expect(parseOptions(['--strategy', 'threads'], spec, 'usage')).toEqual({ strategy: 'threads' });
    expect(() => parseOptions(['--strategy', 'async'], spec, 'usage')).toThrow(
      "--strategy must be one of threads, async-await, all, got 'async'",
    );
  });
});

// A count as a lesson writes one: W threads that each say a first word once
// started, then a last one when done; and no threads at all.
const SOURCE = `const { parentPort } = require('node:worker_threads');
parentPort.postMessage('ready');
parentPort.postMessage(7);`;
const onThreads: Counter = async (workers, increments) => {
  const threads = Array.from({ length: workers }, () => new Worker(SOURCE, { eval: true }));
  const sent = await Promise.all(
    threads.map(
      (thread) =>
        new Promise<number>((resolve) => {
          let last = 0;
          thread.on('message', (message) => {
            if (typeof message === 'number') last = message;
          });
          thread.on('exit', () => resolve(last));
        }),
    ),
  );
  return { expected: workers * increments, actual: sent.reduce((a, b) => a + b, 0) };
};
const inTasks: Counter = async (workers, increments) => ({
  expected: workers * increments,
  actual: workers * increments - 1,
});

describe('a count measured from outside', () => {
  it("times a count on threads from its threads' first and last words", async () => {
    const start = performance.now();
    const measured = await measureCount(onThreads, 3, 7);
    const wallMs = performance.now() - start;
    expect(measured).toMatchObject({ expected: 21, actual: 21 });
    expect(measured.startupMs).toBeGreaterThan(0);
    expect(measured.countMs).toBeGreaterThanOrEqual(0);
    expect((measured.startupMs ?? 0) + measured.countMs).toBeLessThanOrEqual(wallMs);
  });

  it('has no start-up for a count that starts no thread: its time is all counting', async () => {
    const measured = await measureCount(inTasks, 2, 5);
    expect(measured).toEqual({ expected: 10, actual: 9, countMs: expect.any(Number) });
    expect(countOutcome(measured, 2)).toMatchObject({ items: 10, workers: 2, lost: 1 });
    expect(countOutcome(measured, 2)).not.toHaveProperty('startupMs');
  });

  it('stops watching for threads once the count is done, even when it failed', async () => {
    const before = process.listenerCount('worker');
    const failing: Counter = async () => {
      throw new Error('failed on purpose');
    };
    await expect(measureCount(failing, 1, 1)).rejects.toThrow('failed on purpose');
    await measureCount(inTasks, 1, 1);
    expect(process.listenerCount('worker')).toBe(before);
  });
});
