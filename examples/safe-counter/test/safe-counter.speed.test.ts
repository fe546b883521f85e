import { measureCount } from '@lab/counter';
import { countWithAsyncAwait } from 'racy-counter';
import { describe, expect, it } from 'vitest';
import { countWithAsyncMutex, countWithLock, countWithMessages } from '../src/safe-counter.ts';

// What each fix costs, as the summary's "vs racy" shows it, with margins
// wide enough for a slow, shared machine: the per-increment cost of each
// fix against the lesson's model of it.
describe('what correctness costs', () => {
  it('sharing nothing counts far faster than taking a lock around every increment', async () => {
    // The lock: two more atomic operations an increment, and sleeps when contended;
    // message passing: a register increment, then one message a thread.
    const messages = await measureCount(countWithMessages, 4, 1_000_000);
    const lock = await measureCount(countWithLock, 4, 1_000_000);
    expect(messages.countMs * 2).toBeLessThan(lock.countMs);
  });

  it('the async mutex costs more than the race it fixes: a queue and promises an increment', async () => {
    const race = await measureCount(countWithAsyncAwait, 4, 250_000);
    const mutex = await measureCount(countWithAsyncMutex, 4, 250_000);
    expect(mutex.countMs).toBeGreaterThan(1.5 * race.countMs);
  });
});
