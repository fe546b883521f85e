import { expect, test } from 'vitest';
import { checkTask, makeTasks, runTask, sumOfSquares } from '../src/index.ts';

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
