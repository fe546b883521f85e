import { getEventListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { cancelAfter, loops } from '../src/cancellation.ts';
import { eagerStart } from '../src/eager.ts';
import { asyncioPython, pythonProblem, runPython } from '../src/python.ts';
import { shield } from '../src/shield.ts';
import { leftOpen, openHandles } from './handles.ts';

// Loops of 20 steps of 5 ms, abort() asked for after 30 ms. Counted in steps,
// not timed: a busy machine moves the times, never which steps ran.
const LOOP = { steps: 20, stepMs: 5, cancelAfterMs: 30 };

describe('cancellation reaches only code that listens', () => {
  it('a loop handed the signal at each await stops at the next await, and cleans up', async () => {
    const before = openHandles();
    const o = await cancelAfter(loops.listening, LOOP);
    expect(o.ended).toBe('stopped');
    expect(o.stepsAfterAbort).toBe(0); // the await in progress rejected: not one more step
    expect(o.steps).toBeLessThan(o.of);
    expect(o.cleanedUp).toBe(true);
    expect(await leftOpen(before)).toEqual({});
  });

  it('a loop that awaits but was never handed the signal runs to its end, and cleans up', async () => {
    const o = await cancelAfter(loops.deaf, LOOP);
    expect(o.ended).toBe('ran to its end');
    expect(o.steps).toBe(o.of);
    expect(o.stepsAfterAbort).toBeGreaterThan(0); // it went on after abort()
    expect(o.cleanedUp).toBe(true);
  });

  it('a loop that never awaits does not let abort() run until it has ended, though it checks', async () => {
    const o = await cancelAfter(loops.computing, LOOP);
    expect(o.ended).toBe('ran to its end');
    expect([o.steps, o.stepsAfterAbort]).toEqual([o.of, 0]); // abort() ran after the last step
    expect(o.stoppedMsAfterAbort).toBeLessThanOrEqual(0);
    expect(o.cleanedUp).toBe(true);
  });

  it.skipIf(pythonProblem() !== null)(
    `asyncio: CancelledError at the next await; a computing loop runs to its end (${asyncioPython().python})`,
    async () => {
      const args = ['--steps', '20', '--step-ms', '5', '--cancel-after-ms', '30'];
      const [awaiting, computing] = await runPython<{
        steps: number;
        arrivedMsAfterCancel: number | null;
      }>(['cancel'], args);
      expect(awaiting).toMatchObject({ ended: 'stopped', stepsAfterCancel: 0, cleanedUp: true });
      expect(awaiting!.steps).toBeLessThan(20);
      expect(awaiting!.arrivedMsAfterCancel).not.toBeNull();
      expect(computing).toMatchObject({
        ended: 'ran to its end',
        steps: 20,
        arrivedMsAfterCancel: null,
        cleanedUp: true,
      });
    },
  );
});

describe('shield', () => {
  it('stops the caller waiting, not the work: the work finishes after the caller gave up', async () => {
    const controller = new AbortController();
    const work = Promise.withResolvers<string>();
    const waited = shield(work.promise, controller.signal);
    controller.abort(new Error('caller cancelled'));
    await expect(waited).rejects.toThrow('caller cancelled');
    work.resolve('committed');
    await expect(work.promise).resolves.toBe('committed');
  });

  it('passes the value through, and leaves no listener on the signal', async () => {
    const { signal } = new AbortController();
    await expect(shield(Promise.resolve(7), signal)).resolves.toBe(7);
    await expect(shield(Promise.reject(new Error('failed')), signal)).rejects.toThrow('failed');
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });
});

describe('eager and lazy start', () => {
  it('runs an async function at once, up to its first await; a thunk waits to be called', async () => {
    const said: string[] = [];
    const print = vi.spyOn(console, 'log').mockImplementation((line: string) => {
      said.push(line);
    });
    await eagerStart().finally(() => print.mockRestore());
    expect(said).toEqual([
      'caller: calls work()',
      'work: runs, up to its first await',
      'caller: got its promise, awaits it',
      'work: after its first await',
      'caller: keeps a thunk, () => work(): nothing runs yet',
      'caller: calls the thunk',
      'thunk: runs, up to its first await',
      'thunk: after its first await',
      'caller: done',
    ]);
  });

  it.skipIf(pythonProblem() !== null)(
    'asyncio: a coroutine and a new task run nothing until the caller awaits',
    async () => {
      const [record] = await runPython(['eager'], []);
      expect(record!.lines.slice(0, 5)).toEqual([
        'caller: calls work()',
        'caller: got a coroutine object: nothing ran',
        'caller: create_task(): scheduled, still nothing ran',
        'work: runs, up to its first await',
        'work: after its first await',
      ]);
    },
  );
});
