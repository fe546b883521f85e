import { percentile } from '@lab/harness';
import { describe, expect, it } from 'vitest';
import { after, asCompleted, completionOrder } from '../src/completion.ts';

describe('completion order, first finished, first success', () => {
  it('asCompleted settles in finish order, a failure where it comes', async () => {
    const order: string[] = [];
    for (const next of asCompleted([
      after(30, 'slow'),
      after(10, 'fails', true),
      after(20, 'medium'),
    ])) {
      order.push(await next.catch((error: Error) => `${error.message} (error)`));
    }
    expect(order).toEqual(['fails (error)', 'medium', 'slow']);
  });

  it('for await over asCompleted stops at the first failure', async () => {
    const seen: string[] = [];
    const tasks = [after(20, 'b', true), after(10, 'a')];
    await expect(
      (async () => {
        for await (const value of asCompleted(tasks)) seen.push(value);
      })(),
    ).rejects.toThrow('b');
    expect(seen).toEqual(['a']);
  });

  it('tells as_completed, FIRST_COMPLETED and first success apart', async () => {
    expect(await completionOrder()).toEqual([
      'asCompleted (as_completed): fails (error), medium, slow',
      'Promise.race (wait FIRST_COMPLETED): fails (error)',
      'Promise.any (first success): medium',
    ]);
  });

  it('takes percentiles by nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect([percentile(values, 50), percentile(values, 99), percentile(values, 100)]).toEqual([
      50, 99, 100,
    ]);
  });
});
