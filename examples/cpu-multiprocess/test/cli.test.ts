import { runMain } from '@lab/harness/testing';
import { describe, expect, it } from 'vitest';

const main = new URL('../src/main.ts', import.meta.url);
const run = (args: string[]) => runMain(main, args);

describe('cpu-multiprocess on the command line', () => {
  it('prints one record per strategy with --json, every one exact', async () => {
    const { code, stdout } = await run(['--json', '--base', '2000000', '--workers', '2']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.results.map((r: { strategy: string }) => r.strategy)).toEqual([
      'sequential',
      'async',
      'threads',
      'processes',
    ]);
    for (const record of report.results) {
      expect(record).toMatchObject({
        example: 'cpu-multiprocess',
        items: 20,
        failed: 0,
        exact: true,
      });
      expect(record.speedup).toBeGreaterThan(0);
      expect(typeof record.startupMs).toBe('number');
    }
    expect(report.results[2].workers).toBe(2);
  });

  it('runs the fib job too', async () => {
    const { code, stdout } = await run([
      '--json',
      '--job',
      'fib',
      '--base',
      '20',
      '--strategy',
      'threads',
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).results[0]).toMatchObject({ strategy: 'threads', exact: true });
  });

  it('rejects bad input with one line and exit code 2', async () => {
    for (const args of [
      ['--strategy', 'gpu'],
      ['--workers', '0'],
      ['--numbers', 'x'],
      ['--base', '94906265'],
      ['--job', 'fib', '--base', '44'],
    ]) {
      const { code, stdout, stderr } = await run(args);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
