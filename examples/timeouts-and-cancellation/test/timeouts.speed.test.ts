import { describe, expect, it } from 'vitest';
import { measureTimeout, serverView } from '../src/measure.ts';
import { asyncioPython, pythonArgs, pythonProblem, runPython } from '../src/python.ts';
import { raceTimeout, Timeout } from '../src/timeouts.ts';
import { leftOpen, openHandles } from './handles.ts';
import { slowAndFast } from './servers.ts';

// 20 downloads, each answered after 300 ms, under a 100 ms deadline. The
// server's own records say what was still in flight after the deadline: 150
// ms after it (the claim is 20 ms; the margin is for a slow, busy machine,
// and still ends 50 ms before any answer is due).
const LATENCY = 300;
const DEADLINE = 100;
const GRACE = 150;
const SITES = 20;
const SIZES = { sites: SITES, deadlineMs: DEADLINE, graceMs: GRACE };
const servers = slowAndFast(LATENCY);
const signal = new AbortController().signal;

describe('a timeout that stops the work, and one that does not', () => {
  it('Promise.race returns at the deadline and leaves every request in flight, answered later to nobody', async () => {
    const before = openHandles();
    const o = await measureTimeout('race', servers.slow, { ...SIZES, signal });
    expect(o.returnedMs).toBeGreaterThanOrEqual(DEADLINE - 1); // a timer never fires early
    expect(o.returnedMs).toBeLessThan(LATENCY); // it did return before the work ended
    expect(o.inFlightAfter).toBe(SITES);
    expect([o.answeredLate, o.aborted]).toEqual([SITES, 0]);
    expect(o.lastEndMs).toBeGreaterThanOrEqual(LATENCY);
    expect(await leftOpen(before)).toEqual({});
  });

  it('a signal handed to every request leaves nothing in flight: the server saw each one closed', async () => {
    const before = openHandles();
    const o = await measureTimeout('signal', servers.slow, { ...SIZES, signal });
    expect(o.returnedMs).toBeLessThan(LATENCY);
    expect(o.inFlightAfter).toBe(0);
    expect([o.answeredLate, o.aborted]).toEqual([0, SITES]);
    expect(o.lastEndMs).toBeLessThan(LATENCY);
    // The in-flight line falls to zero: its last step is 0, before any answer was due.
    expect(o.inFlightSeries.at(-1)?.[1]).toBe(0);
    expect(await leftOpen(before)).toEqual({});
  });

  it('raceTimeout rejects with a Timeout and clears its timer when the work wins', async () => {
    const before = openHandles();
    await expect(raceTimeout(Promise.resolve('fast'), 10_000)).resolves.toBe('fast');
    await expect(raceTimeout(new Promise(() => {}), 5)).rejects.toBeInstanceOf(Timeout);
    expect(await leftOpen(before)).toEqual({});
  });

  it.skipIf(pythonProblem() !== null)(
    `asyncio.timeout() stops the work too, counted by the same server (${asyncioPython().python})`,
    async () => {
      await servers.slow.resetStats();
      const [record] = await runPython<{
        deadlineAt: number;
        returnedMs: number;
        inFlightAfter: number;
      }>(['timeout'], pythonArgs(servers, SIZES));
      if (!record) throw new Error('no record from Python');
      expect(record.inFlightAfter).toBe(0); // Python's own look at /stats
      const o = await serverView(
        servers.slow,
        record.deadlineAt - DEADLINE,
        DEADLINE,
        record.returnedMs,
        GRACE,
      );
      expect(o.inFlightAfter).toBe(0);
      expect([o.answeredLate, o.aborted]).toEqual([0, SITES]);
    },
  );
});
