import { rejectsBadInput, runMain, runTenThousandSites } from '@lab/download/testing';
import { startSitesServer } from '@lab/sites';
import { describe, expect, it } from 'vitest';

const main = new URL('../src/main.ts', import.meta.url);

describe('sync-download, run against the embedded sites server', () => {
  it('keeps one connection for every site (the Session)', async () => {
    const { code, report } = await runMain(main, ['--sites', '10', '--latency', '20', '--json']);
    expect(code).toBe(0);
    expect(report?.results[0]).toMatchObject({
      example: 'sync-download',
      strategy: 'sequential',
      items: 10,
      failed: 0,
      bytes: 10 * 10240,
      peakInFlight: 1,
      connections: 1,
    });
    const record = report!.results[0]!;
    expect(record.wallMs).toBeGreaterThanOrEqual(10 * 20 * 0.95);
    // The idle CPU: one site at a time mostly waits, so the process used less CPU than wall time.
    expect(record.cpuMs).toBeGreaterThan(0);
    expect(record.cpuMs as number).toBeLessThan(record.wallMs);
    // A waterfall row per site, one after another: each starts after the one before ends.
    const rows = record.requests as Array<[number, number | null, number]>;
    expect(rows).toHaveLength(10);
    for (let i = 1; i < rows.length; i++)
      expect(rows[i]![0]).toBeGreaterThanOrEqual(rows[i - 1]![2]);
  });

  it('downloads 10,000 sites at latency 0 in under 250 MB, as pnpm start runs it', async () => {
    const { code, record } = await runTenThousandSites(new URL('../', import.meta.url));
    expect(code).toBe(0);
    expect(record).toMatchObject({ items: 10000, ok: 10000, failed: 0 });
    // The bound for 10,000 sites, the embedded server's thread included.
    expect(record.maxRssMb as number).toBeLessThan(250);
  });

  it('names every failed site, finishes the rest, and exits 1', async () => {
    const { code, stderr, report } = await runMain(main, [
      '--sites',
      '10',
      '--latency',
      '0',
      '--fail-share',
      '0.3',
      '--json',
    ]);
    expect(code).toBe(1);
    expect(report?.results[0]).toMatchObject({ items: 10, failed: 3 });
    expect(stderr.trim().split('\n')).toHaveLength(3);
    expect(stderr).toMatch(/^failed: http:\/\/127\.0\.0\.1:\d+\/site\/\d+ \(HTTP 500\)$/m);
  });

  it('downloads each --url once, or --repeat N times, and says how many of each', async () => {
    const server = await startSitesServer({ latencyMs: 0, bytes: 100 });
    try {
      const [a, b] = [server.siteUrl(1), server.siteUrl(2)];
      const once = await runMain(main, ['--url', a, '--url', b, '--json']);
      expect(once.report!.results[0]).toMatchObject({
        items: 2,
        ok: 2,
        perUrl: [
          { url: a, downloads: 1, ok: 1 },
          { url: b, downloads: 1, ok: 1 },
        ],
      });
      const repeated = await runMain(main, ['--url', a, '--url', b, '--repeat', '3']);
      expect(repeated.code).toBe(0);
      expect(repeated.stdout).toContain(`sites: 6 downloads: ${a} x3, ${b} x3`);
      expect(repeated.stdout).toContain(`per URL: ${a} 3/3, ${b} 3/3`);
      expect(await server.hits()).toEqual([0, 4, 4]);
    } finally {
      await server.close();
    }
  });

  it('cuts a trickling site at the --timeout deadline and names it', async () => {
    const { code, stderr, report } = await runMain(main, [
      ...['--sites', '4', '--latency', '0', '--bytes', '1000'],
      ...['--trickle-share', '0.25', '--timeout', '300', '--json'],
    ]);
    expect(code).toBe(1);
    expect(report!.results[0]).toMatchObject({ items: 4, ok: 3, failed: 1, cancelled: 0 });
    expect(stderr).toMatch(
      /^failed: http:\/\/127\.0\.0\.1:\d+\/site\/\d+ \(timed out after 300 ms\)$/m,
    );
  });

  rejectsBadInput(
    main,
    [
      ['--sites', '0'],
      ['--latency', 'abc'],
      ['--url', 'nope'],
      ['--wat'],
      ['--url', 'http://a.test/', '--repeat', '0'],
      ['--url', 'http://a.test/', '--repeat', 'x'],
      ['--timeout', '0'],
      ['--url', 'http://a.test/', '--sites', '5'],
      ['--repeat', '2'],
      ['--fail-share', '0.6', '--trickle-share', '0.6'],
    ],
    {
      check: ({ stderr }, args) => {
        expect(stderr).toMatch(/^sync-download: /);
        // The line names the flag it is about.
        const flag = args.find((a) => a.startsWith('--') && a !== '--url') ?? '--url';
        if (!flag.endsWith('-share')) expect(stderr).toContain(flag);
      },
    },
  );
});
