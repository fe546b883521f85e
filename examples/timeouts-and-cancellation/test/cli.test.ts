import { interruptAfter, rejectsBadInput } from '@lab/harness/testing';
import { describe, expect, it } from 'vitest';
import { pythonProblem } from '../src/python.ts';
import { pythonsRunning } from './pythons.ts';

const main = new URL('../src/main.ts', import.meta.url);
const small = ['--latency-ms', '200', '--deadline-ms', '50', '--requests', '20'];

describe('timeouts-and-cancellation on the command line', () => {
  it('stops on Ctrl-C in the middle of the leaking timeout, closes what it left, and exits 130 by itself', async () => {
    const start = performance.now();
    const { code, stdout } = await interruptAfter(
      main,
      [...small, '--latency-ms', '5000'],
      /race-timeout: .*\n/,
    );
    // Its requests would be answered after 5 s: it did not wait for them.
    expect(performance.now() - start).toBeLessThan(4000);
    expect(code).toBe(130);
    expect(stdout).toContain('interrupted: 0 of');
  });

  it.skipIf(pythonProblem() !== null)(
    'stops the asyncio original on Ctrl-C too: no Python left running',
    async () => {
      // The cue is printed as the original starts: Ctrl-C reaches it while it loads or runs.
      const { code, stdout } = await interruptAfter(main, small, /asyncio-timeout: .*\n/);
      expect(code).toBe(130);
      expect(pythonsRunning(stdout)).toEqual([]);
    },
  );

  rejectsBadInput(main, [
    [['--deadline-ms', '0'], '--deadline-ms'],
    [['--latency-ms', '120', '--deadline-ms', '100'], '--latency-ms'],
    [['--python', 'maybe'], '--python'],
  ]);
});
