import { rejectsBadInput, runMain } from '@lab/harness/testing';
import { beforeAll, describe, expect, it } from 'vitest';

const main = new URL('../src/main.ts', import.meta.url);
const run = (args: string[]) => runMain(main, args);
const strategies = [
  'sequential',
  'async',
  'threads',
  'processes',
  'threads-warm',
  'processes-warm',
];

describe('cpu-multiprocess on the command line', () => {
  it('prints the six strategies with their speedups', async () => {
    const { code, stdout, stderr } = await run(['--base', '1000000', '--numbers', '8']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    for (const strategy of strategies) {
      expect(stdout).toMatch(new RegExp(`^ +${strategy} +8 +0 .* \\d+\\.\\d\\dx .* true$`, 'm'));
    }
    expect(stdout).toContain('async is no faster');
    expect(stdout).toContain('size fixed by --base');
  });

  it('sizes the job on this machine unless --base fixes it, and says so', async () => {
    const { code, stdout } = await run(['--seconds', '0.2', '--strategy', 'sequential']);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /sized here for about \d+(\.\d+)? ms sequential \(one task of n = [\d,]+ took [\d.]+ ms\)/,
    );
  });

  it('prints one record per strategy with --json, with the documented fields', async () => {
    const { code, stdout, report } = await run(['--json', '--base', '2000000', '--workers', '2']);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(report?.results.map((r) => r.strategy)).toEqual(strategies);
    for (const record of report?.results ?? []) {
      expect(record).toMatchObject({
        example: 'cpu-multiprocess',
        items: 20,
        failed: 0,
        exact: true,
      });
      for (const field of [
        'wallMs',
        'idealMs',
        'efficiency',
        'speedup',
        'startupMs',
        'taskMs',
        'base',
      ]) {
        expect(typeof record[field], field).toBe('number');
      }
      // Every pool strategy carries its model and the floor under its start-up.
      if (record.workers === 2) {
        for (const field of ['predictedSpeedup', 'bareStartupMs', 'poolStartupMs']) {
          expect(record[field], field).toBeGreaterThan(0);
        }
      }
      // Every task ran once, on one of the workers.
      const perWorker = record.perWorker as number[];
      expect(perWorker).toHaveLength(record.workers as number);
      expect(perWorker.reduce((a, b) => a + b, 0)).toBe(20);
    }
    const [sequential, async, threads, processes, threadsWarm] = report?.results ?? [];
    expect(sequential).toMatchObject({ workers: 1, speedup: 1, startupMs: 0 });
    expect(async?.idealMs).toBe(sequential?.wallMs);
    expect(threads?.workers).toBe(2);
    expect(threads?.idealMs).toBeCloseTo((sequential?.wallMs ?? 0) / 2, 1);
    expect(processes?.startupMs).toBeGreaterThan(0);
    // A warm pool started before the clock: no start-up inside its time, and a model to match.
    expect(threadsWarm).toMatchObject({ startupMs: 0, workers: 2 });
    expect(threadsWarm?.predictedSpeedup).toBeGreaterThan(threads?.predictedSpeedup as number);
  });

  it('prints only the fields a strategy measured: no prediction without the sequential run', async () => {
    const { code, stdout } = await run([
      '--base',
      '1000000',
      '--numbers',
      '4',
      '--strategy',
      'threads',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('  start-up: ');
    expect(stdout).not.toMatch(/^ +\S[^:]*: *$/m); // no label with nothing after it
    expect(stdout).not.toContain('predicted');
  });

  it('runs the fib job too', async () => {
    const args = ['--json', '--job', 'fib', '--base', '20', '--strategy', 'threads'];
    const { code, report } = await run(args);
    expect(code).toBe(0);
    expect(report?.results).toHaveLength(1);
    expect(report?.results[0]).toMatchObject({ strategy: 'threads', exact: true, speedup: null });
  });

  // Each: the flag its line must name, then the command line.
  const badInput = [
    ['--strategy', '--strategy', 'gpu'],
    ['--workers', '--workers', '0'],
    ['--numbers', '--numbers', 'x'],
    ['--seconds', '--seconds', '0'],
    ['--seconds', '--seconds', 'soon'],
    ['--base', '--base', '-5'],
    ['--base', '--base', '94906265'],
    ['--base', '--base', '94906000', '--numbers', '500'],
    ['--base', '--job', 'fib', '--base', '44'],
    ['--nope', '--nope'],
  ];
  rejectsBadInput(
    main,
    badInput.map(([flag = '', ...args]) => [args, flag] as const),
  );
});

describe('cpu-multiprocess on Ctrl-C', () => {
  // Every process this file starts carries a mark: those still running are this file's own.
  let leftOver: () => string[];
  beforeAll(async () => {
    const { markOwnProcesses } = await import('@lab/harness/testing');
    leftOver = markOwnProcesses('cpu-multiprocess-cli');
  });

  it('stops, prints the runs it finished, and exits 130 with no member left', async () => {
    const { interruptAfter } = await import('@lab/harness/testing');
    // Sent once the heading is out: the warm pools are up and a run is under way.
    const { code, stdout } = await interruptAfter(main, ['--seconds', '1'], 'pools of');
    expect(code).toBe(130);
    expect(stdout).toMatch(/interrupted: \d of 6 runs done\./);
    // No worker process outlives it.
    const members = leftOver();
    expect(members).toEqual([]);
  });
});
