import { readdirSync, readFileSync } from 'node:fs';
import { interruptAfter, runMain } from '@lab/harness/testing';
import { describe, expect, it } from 'vitest';
import { pythonProblem, script } from '../src/python.ts';

const main = new URL('../src/main.ts', import.meta.url);
const small = ['--latency-ms', '200', '--deadline-ms', '50', '--requests', '20'];

/** Processes still running the asyncio original: none, once a run has ended. */
const pythonsRunning = () =>
  readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(script);
      } catch {
        return false; // it ended while we looked
      }
    });

describe('timeouts-and-cancellation on the command line', () => {
  it.skipIf(pythonProblem() !== null)(
    'prints each strategy, its measured line, and asyncio beside it; then exits by itself',
    async () => {
      const { code, stdout, stderr } = await runMain(main, small);
      expect(stderr).toBe('');
      expect(code).toBe(0); // and it exited: nothing was left open to hold it
      const headings = stdout
        .split('\n')
        .filter((line) => /^[a-z-]+: /.test(line))
        .map((line) => line.split(':')[0]);
      expect(headings).toEqual([
        'sites',
        'race-timeout',
        'signal-timeout',
        'asyncio-timeout',
        'cancel',
        'shield',
        'eager',
        'order',
        'hedge',
        'threads',
      ]);
      expect(stdout).toMatch(
        /Promise\.race against a 50 ms timer: returned at [\d.]+ ms; in flight at the server 20 ms after the deadline: 20;/,
      );
      expect(stdout).toMatch(
        /handed to every request: returned at [\d.]+ ms; in flight at the server 20 ms after the deadline: 0;/,
      );
      expect(stdout).toMatch(
        /the server, of asyncio: .*in flight at the server 20 ms after the deadline: 0; answered late, to nobody: 0; closed by the client: 20;/,
      );
      expect(stdout).toContain('asyncio: awaiting loop: cancel() ran at');
      expect(stdout).toContain('asyncio: asyncio.shield: caller gave up at');
      expect(stdout).toContain(
        "the slow server, of asyncio's hedged requests: 20 closed by the client, 0 answered",
      );
      expect(stdout).toContain('asyncio: heartbeats (every 5 ms)');
      expect(pythonsRunning()).toEqual([]);
    },
  );

  it('prints one JSON record per strategy with --json, and nothing else', async () => {
    const { code, stdout, report } = await runMain(main, [...small, '--json', '--python', 'off']);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const results = report?.results ?? [];
    expect(results.map((r) => r.strategy)).toEqual([
      'race-timeout',
      'signal-timeout',
      'cancel',
      'shield',
      'eager',
      'order',
      'hedge',
      'threads',
    ]);
    const [race, signal] = results;
    expect([race?.inFlightAfter, signal?.inFlightAfter]).toEqual([20, 0]);
    expect(results.find((r) => r.strategy === 'hedge')).toMatchObject({
      slowCancelled: 20,
      slowAnswered: 0,
    });
  });

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
      const { code } = await interruptAfter(main, small, /asyncio-timeout: .*\n/);
      expect(code).toBe(130);
      expect(pythonsRunning()).toEqual([]);
    },
  );

  it('rejects bad input with one line naming the flag, and exit code 2', async () => {
    for (const [args, flag] of [
      [['--deadline-ms', '0'], '--deadline-ms'],
      [['--latency-ms', '120', '--deadline-ms', '100'], '--latency-ms'],
      [['--python', 'maybe'], '--python'],
    ] as const) {
      const { code, stderr } = await runMain(main, [...args]);
      expect(code).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toContain(flag);
    }
  });
});
