import { interruptAfter, runMain } from '@lab/harness/testing';
import { describe, expect, it } from 'vitest';

const demo = new URL('./fixtures/example.ts', import.meta.url);

describe('runExample', () => {
  it('runs the strategies in order, timed, and prints one JSON object with --json', async () => {
    const { code, stdout, report } = await runMain(demo, ['--ways', '2', '--json']);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(report?.results).toMatchObject([
      { example: 'demo', strategy: 'way-1', items: 1, before: 0, speedup: 1 },
      { example: 'demo', strategy: 'way-2', items: 2, before: 1 },
    ]);
    expect(report?.results[1]?.wallMs).toEqual(expect.any(Number));
  });

  it('prints the heading first, then the table, the notes, and exits with exitCode', async () => {
    const { code, stdout } = await runMain(demo, ['--ways', '3']);
    expect(code).toBe(3);
    expect(stdout).toMatch(/^3 ways\ndemo\n {2}strategy .* before\n {2}way-1 /);
    expect(stdout.trimEnd().endsWith('\n  a note')).toBe(true);
  });

  it('builds --help from the option spec, with --json and --help added', async () => {
    const { code, stdout } = await runMain(demo, ['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: pnpm --filter demo start [-- options]\nRuns a few made-up');
    for (const flag of ['--ways N', '--hang-in N', '--fail-in N', '--json', '--help']) {
      expect(stdout).toContain(`  ${flag}`);
    }
  });

  it('reports bad input, also from check, as one line naming the flag, exit 2', async () => {
    for (const args of [['--ways', '9'], ['--hang-in', '3'], ['--jsn']]) {
      const { code, stdout, stderr } = await runMain(demo, args);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^demo: .*--(ways|hang-in|jsn)\b.*\(see --help\)\n$/);
    }
  });

  it('reports a failed strategy as one line, exit 1', async () => {
    const { code, stderr } = await runMain(demo, ['--fail-in', '2']);
    expect(code).toBe(1);
    expect(stderr).toBe('demo: way failed\n');
  });

  it('on Ctrl-C stops the run in flight, prints the runs done so far and exits 130', async () => {
    const args = ['--ways', '4', '--hang-in', '3'];
    const { code, stdout, stderr } = await interruptAfter(demo, args, 'way-3 started');
    expect(code).toBe(130);
    expect(stderr).toContain('demo: interrupted, cancelling...');
    expect(stdout).toContain('  way-2 ');
    expect(stdout).not.toContain('  way-3 ');
    expect(stdout).toMatch(/ {2}a note\n {2}interrupted: 2 of 4 runs done\.\n$/);
  });
});
