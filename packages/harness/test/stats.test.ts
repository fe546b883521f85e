import { describe, expect, it } from 'vitest';
import { blockFor, median, percentile } from '../src/index.ts';

describe('median and percentile', () => {
  it('take the middle value, the lower one for an even count, and NaN for none', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2);
    expect(median([])).toBeNaN();
  });

  it('rank the nearest value at or above p% of them', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 .. 1, unsorted
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile([], 99)).toBeNaN();
  });
});

describe('blockFor', () => {
  it('holds the thread, so a timer due meanwhile runs only after it', async () => {
    const started = performance.now();
    let firedAt = 0;
    const fired = new Promise<void>((resolve) =>
      setTimeout(() => {
        firedAt = performance.now() - started;
        resolve();
      }, 5),
    );
    blockFor(50);
    await fired;
    expect(firedAt).toBeGreaterThanOrEqual(49);
  });
});
