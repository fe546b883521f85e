import { rejectsBadInput, runMain, runTenThousandSites } from '@lab/download/testing';
import { interruptAfter } from '@lab/harness/testing';
import { describe, expect, it } from 'vitest';

const main = new URL('../src/main.ts', import.meta.url);

describe('pool-download, run against the embedded sites server', () => {
  it.each(['tasks', 'threads', 'processes'])(
    'as %s: the server never sees more than C at once',
    async (pool) => {
      const args = [
        '--pool',
        pool,
        '--connections',
        '4',
        '--sites',
        '24',
        '--latency',
        '30',
        '--json',
      ];
      const { code, report } = await runMain(main, args);
      expect(code).toBe(0);
      const record = report!.results[0]!;
      expect(record).toMatchObject({
        strategy: `pool-${pool}`,
        items: 24,
        failed: 0,
        concurrency: 4,
      });
      expect(record.peakInFlight).toBeLessThanOrEqual(4);
      expect(record.wallMs).toBeGreaterThanOrEqual(6 * 30 * 0.95);
      if (pool !== 'tasks') {
        // Threads and processes report their start-up apart, beside the floor
        // bare members set, and their model (the ideal) includes it.
        const { startupMs = 0, bareStartupMs, idealMs } = record as Record<string, number>;
        expect(startupMs).toBeGreaterThan(0);
        expect(bareStartupMs).toBeGreaterThan(0);
        expect(idealMs).toBeCloseTo(startupMs + 6 * 30, 0);
      }
    },
  );

  it('downloads 10,000 sites at latency 0 in under 250 MB, as pnpm start runs it', async () => {
    const { code, record } = await runTenThousandSites(new URL('../', import.meta.url));
    expect(code).toBe(0);
    expect(record).toMatchObject({ items: 10000, ok: 10000, failed: 0 });
    // The bound for 10,000 sites, the embedded server's thread included.
    expect(record.maxRssMb as number).toBeLessThan(250);
  });

  it.each(['threads', 'processes'])(
    'as %s, cancels on Ctrl-C: the members ended, their sites cancelled, exit 130',
    async (pool) => {
      const args = ['--pool', pool, '--latency', '5000', '--sites', '20'];
      const { code, stdout } = await interruptAfter(main, args, 'warm-up:');
      expect(code).toBe(130);
      expect(stdout).toMatch(/interrupted: [01] of 1 runs done\./);
      // Stopped on the clock: no site arrived, and none counts as failed.
      if (stdout.includes('outcome:'))
        expect(stdout).toContain('outcome: 0 ok, 0 failed, 20 cancelled');
    },
  );

  rejectsBadInput(main, [
    ['--pool', 'fibers'],
    ['--connections', 'abc'],
    ['--connections', '0'],
    // A thread or a process per member, started before any site: bounded.
    ['--pool', 'threads', '--connections', '1000', '--sites', '3'],
    ['--pool', 'processes', '--connections', '11'],
  ]);
});
