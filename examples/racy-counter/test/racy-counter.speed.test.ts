import { measureCount } from '@lab/counter';
import { describe, expect, it } from 'vitest';
import { countWithThreads } from '../src/racy-counter.ts';

// The model the summary's columns stand for: a thread run's time is its
// threads' start-up (each loads its worker file, tens of milliseconds, the
// same for 1,000 increments as for a million), then the counting, which
// grows with the increments.
describe('a thread race, timed from outside', () => {
  it('spends a short count almost all in start-up, and a long one in counting too', async () => {
    const short = await measureCount(countWithThreads, 2, 1000);
    const long = await measureCount(countWithThreads, 2, 5_000_000);
    // 2 x 1,000 increments take microseconds; starting a thread takes milliseconds.
    expect(short.countMs).toBeLessThan(short.startupMs ?? 0);
    // 10 million racy increments take tens of ms at least: far more than 2,000.
    expect(long.countMs).toBeGreaterThan(10 * short.countMs);
  });
});
