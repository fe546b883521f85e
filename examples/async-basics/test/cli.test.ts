import { runMain } from '@lab/harness/testing';
import { describe, expect, it } from 'vitest';

const main = new URL('../src/main.ts', import.meta.url);
const run = (args: string[]) => runMain(main, args);

describe('async-basics on the command line', () => {
  it('walks through the notes with started at / finished at lines', async () => {
    const { code, stdout } = await run(['--scale', '0.05']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/started at \d\d:\d\d:\d\d/);
    expect(stdout).toMatch(/finished at \d\d:\d\d:\d\d \(\d+\.\d\d s\)/);
    expect(stdout).toContain('rethrew: task failed; world was cancelled');
  });

  it('prints one record per way with --json', async () => {
    const { code, stdout } = await run(['--scale', '0.05', '--json']);
    expect(code).toBe(0);
    const { results } = JSON.parse(stdout);
    expect(results.map((r: { strategy: string }) => r.strategy)).toEqual([
      'sequential',
      'concurrent',
      'group',
    ]);
    expect(results.map((r: { idealMs: number }) => r.idealMs)).toEqual([150, 100, 100]);
    expect(results[0].wallMs).toBeGreaterThan(results[1].wallMs);
  });

  it('rejects bad input with one line and exit code 2', async () => {
    const { code, stderr } = await run(['--scale', '0']);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});
