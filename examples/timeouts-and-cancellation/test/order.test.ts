import { type SitesServer, startSitesThread } from '@lab/sites';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { after, asCompleted, completionOrder } from '../src/completion.ts';
import { hedgeTail, percentile } from '../src/hedging.ts';
import { PYTHON, pythonArgs, pythonProblem, runPython } from '../src/python.ts';
import { shieldedCommit } from '../src/shield.ts';
import { crossThreads } from '../src/threads.ts';
import { leftOpen, openHandles } from './handles.ts';

const SLOW = 200;
let slow: SitesServer;
let fast: SitesServer;
const signal = new AbortController().signal;

beforeAll(async () => {
  [slow, fast] = await Promise.all([
    startSitesThread({ latencyMs: SLOW, recordRequests: true }),
    startSitesThread({ latencyMs: 10, recordRequests: true }),
  ]);
});
afterAll(() => Promise.all([slow?.close(), fast?.close()]));

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

describe('a hedged request', () => {
  it('cuts the tail below the slow server, and the slow server sees every loser cancelled', async () => {
    const before = openHandles();
    const o = await hedgeTail(fast, slow, 40, signal);
    expect(o.plainP99).toBeGreaterThanOrEqual(SLOW); // one server each: half wait for the slow one
    expect(o.hedgedP99).toBeLessThan(SLOW);
    expect([o.slowCancelled, o.slowAnswered]).toEqual([40, 0]);
    expect(await leftOpen(before)).toEqual({});
  });

  it.skipIf(pythonProblem() !== null)(
    `asyncio: wait(FIRST_COMPLETED) and cancel() close the loser too (${PYTHON})`,
    async () => {
      await slow.resetStats();
      const [record] = await runPython(['hedge'], pythonArgs({ slow, fast }, { requests: 20 }));
      expect(record!.hedgedP99).toBeLessThan(SLOW);
      const seen = await slow.requests();
      expect(seen.filter((r) => !r.answered)).toHaveLength(20);
    },
  );
});

describe('shield, against the server', () => {
  it('the commit is answered after the caller gave up', async () => {
    const before = openHandles();
    const o = await shieldedCommit(slow, SLOW * 1.5, signal);
    expect(o.commitAnswered).toBe(true);
    expect(o.commitAnsweredMs).toBeGreaterThan(o.callerGaveUpMs);
    expect(await leftOpen(before)).toEqual({});
  });
});

describe('crossing threads', () => {
  it('keeps the loop beating while a worker blocks or waits for the loop; not while the loop blocks', async () => {
    const before = openHandles();
    const o = await crossThreads(100);
    // Measured here: 0 or 1 beat while the loop blocks, 20 or more otherwise.
    expect(o.toThread).toBeGreaterThan(o.blockedOnLoop + 5);
    expect(o.fromThread).toBeGreaterThan(o.blockedOnLoop + 5);
    expect(o.lines).toEqual([
      'blocked 100 ms on its own thread',
      'the loop answered: said after 100 ms on the loop',
    ]);
    expect(await leftOpen(before)).toEqual({});
  });
});
