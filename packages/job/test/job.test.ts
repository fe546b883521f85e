import { expect, test } from 'vitest';
import { calibrate, checkTask, makeTasks, runTask, sumOfSquares } from '../src/index.ts';

test('sums of squares are exact past 2^53', () => {
  expect(String(sumOfSquares(5_000_000))).toBe('41666654166667500000');
  for (const task of makeTasks('squares', 3, 94_906_263))
    expect(checkTask(task, runTask(task))).toBe(true);
});

test('fib answers match the closed form', () => {
  for (const task of makeTasks('fib', 6, 20)) expect(checkTask(task, runTask(task))).toBe(true);
});

test('a task out of range is refused with a message naming it', () => {
  expect(() => runTask({ index: 4, kind: 'squares', n: -1 })).toThrow('task 4: n must be');
});

test.each(['squares', 'fib'] as const)('calibration sizes %s to the time asked for', (kind) => {
  // Measured on this machine: the size chosen for 0.3 s must take about 0.3 s.
  const { base, expectedMs } = calibrate(kind, 20, 0.3);
  const tasks = makeTasks(kind, 20, base);
  const started = performance.now();
  for (const task of tasks) runTask(task);
  const tookMs = performance.now() - started;
  expect(expectedMs).toBeGreaterThan(150);
  expect(expectedMs).toBeLessThan(600);
  // A generous window: the probe is short and the machine is shared.
  expect(tookMs / expectedMs).toBeGreaterThan(0.4);
  expect(tookMs / expectedMs).toBeLessThan(2.5);
});
