import { rejectsBadInput, runMain } from '@lab/harness/testing';
import { describe, expect, it } from 'vitest';

const main = new URL('../src/main.ts', import.meta.url);
const run = (args: string[]) => runMain(main, args);

describe('event-loop on the command line', () => {
  it('prints one record per way with the delay fields', async () => {
    const { code, stdout } = await run(['--json', '--numbers', '3', '--base', '10000000']);
    expect(code).toBe(0);
    const { results } = JSON.parse(stdout);
    expect(results.map((r: { strategy: string }) => r.strategy)).toEqual([
      'blocking',
      'chunked',
      'worker',
    ]);
    for (const r of results) {
      for (const key of ['wallMs', 'ticksMissed', 'delayP50Ms', 'delayP99Ms', 'delayMaxMs']) {
        expect(typeof r[key]).toBe('number');
      }
      expect(r.exact).toBe(true);
    }
    // The worker's thread start-up is reported apart, beside the floor a bare thread sets.
    const worker = results[2];
    expect(worker.startupMs).toBeGreaterThan(0);
    expect(worker.bareStartupMs).toBeGreaterThan(0);
    expect(worker.idealMs).toBeCloseTo(results[0].wallMs + worker.startupMs, 0);
  });

  it('prints only the fields a way measured, and notes only the ways that ran', async () => {
    const { code, stdout } = await run([
      '--way',
      'chunked',
      '--numbers',
      '3',
      '--base',
      '10000000',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('  delay p99: ');
    expect(stdout).not.toMatch(/^ +\S[^:]*: *$/m); // no label with nothing after it
    expect(stdout).not.toContain('start-up');
    expect(stdout).toContain('  chunked: the loop gets a turn');
    expect(stdout).not.toContain('  worker: ');
  });

  rejectsBadInput(main, [
    ['--way', 'sideways'],
    ['--base', '-1'],
    ['--seconds', '0'],
    ['--base', '94906265', '--numbers', '2'],
  ]);
});

describe('event-loop on Ctrl-C', () => {
  it('stops after the run in progress, prints it, and exits 130', async () => {
    const { interruptAfter } = await import('@lab/harness/testing');
    // Sent once the heading is out: the blocking run has the thread, and
    // Ctrl-C is handled at the loop's next turn, after it.
    const { code, stdout } = await interruptAfter(main, ['--seconds', '0.5'], 'a heartbeat every');
    expect(code).toBe(130);
    expect(stdout).toMatch(/interrupted: [0-2] of 3 runs done\./);
  });
});
