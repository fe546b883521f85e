// Against real servers and a real clock: latencies, a caller's deadline in
// the middle of a commit, and heartbeats beside threads. Alone, so that
// another file's load does not move them.
import { describe, expect, it } from 'vitest';
import { crossThreads, measureHedge, measureShield } from '../src/measure.ts';
import { asyncioPython, pythonArgs, pythonProblem, runPython } from '../src/python.ts';
import { leftOpen, openHandles } from './handles.ts';
import { slowAndFast } from './servers.ts';

const SLOW = 200;
const servers = slowAndFast(SLOW);
const signal = new AbortController().signal;

describe('a hedged request', () => {
  it('cuts the tail below the slow server, and the slow server sees every loser cancelled', async () => {
    const before = openHandles();
    const o = await measureHedge(servers.fast, servers.slow, 40, signal);
    expect(o.plainP99).toBeGreaterThanOrEqual(SLOW); // one server each: half wait for the slow one
    expect(o.hedgedP99).toBeLessThan(SLOW);
    expect([o.slowCancelled, o.slowAnswered]).toEqual([40, 0]);
    expect(await leftOpen(before)).toEqual({});
  });

  it.skipIf(pythonProblem() !== null)(
    `asyncio: wait(FIRST_COMPLETED) and cancel() close the loser too (${asyncioPython().python})`,
    async () => {
      await servers.slow.resetStats();
      const [record] = await runPython(['hedge'], pythonArgs(servers, { requests: 20 }));
      expect(record!.hedgedP99).toBeLessThan(SLOW);
      const seen = await servers.slow.requests();
      expect(seen.filter((r) => !r.answered)).toHaveLength(20);
    },
  );
});

describe('shield, against the server', () => {
  it('the commit is answered after the caller gave up', async () => {
    const before = openHandles();
    const o = await measureShield(servers.slow, SLOW * 1.5, signal);
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
