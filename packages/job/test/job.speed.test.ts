import { expect, test } from 'vitest';
import { calibrate, makeTasks, runTask } from '../src/index.ts';

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
