import { runMain } from '@lab/harness/testing';
import { describe, expect, it } from 'vitest';

const report = new URL('../src/report.ts', import.meta.url);

describe('pnpm report, bad input', () => {
  it('names the stray option or argument in one line and exits 2, writing nothing', async () => {
    for (const args of [['--bogus'], ['extra'], ['--quick']]) {
      const run = await runMain(report, args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(run.stderr).not.toContain('    at ');
      expect(run.stdout).not.toContain('wrote');
    }
  });
});
