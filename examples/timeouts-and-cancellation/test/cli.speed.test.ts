// The whole program with its real servers: what each strategy's line
// counted in flight 20 ms after the deadline, and the hedge's losers. Alone,
// so that another file's load does not move those 20 ms.
import { runMain } from '@lab/harness/testing';
import { describe, expect, it } from 'vitest';
import { pythonProblem } from '../src/python.ts';
import { pythonsRunning } from './pythons.ts';

const main = new URL('../src/main.ts', import.meta.url);
const small = ['--latency-ms', '200', '--deadline-ms', '50', '--requests', '20'];
/** The strategies, in the order they run and print. */
const STRATEGIES = [
  'race-timeout',
  'signal-timeout',
  'cancel',
  'shield',
  'eager',
  'order',
  'hedge',
  'threads',
];

describe('timeouts-and-cancellation on the command line, measured', () => {
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
      // Each strategy's heading, in order; asyncio's timeout beside the two of Node.
      expect(headings).toEqual(['sites', ...STRATEGIES.toSpliced(2, 0, 'asyncio-timeout')]);
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
      expect(pythonsRunning(stdout)).toEqual([]);
    },
  );

  it('prints one JSON record per strategy with --json, and nothing else', async () => {
    const { code, stdout, report } = await runMain(main, [...small, '--json', '--python', 'off']);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const results = report?.results ?? [];
    expect(results.map((r) => r.strategy)).toEqual(STRATEGIES);
    const [race, signal] = results;
    expect([race?.inFlightAfter, signal?.inFlightAfter]).toEqual([20, 0]);
    expect(results.find((r) => r.strategy === 'hedge')).toMatchObject({
      slowCancelled: 20,
      slowAnswered: 0,
    });
  });
});
