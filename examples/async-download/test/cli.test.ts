import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rejectsBadInput, runMain, runTenThousandSites } from '@lab/download/testing';
import { describe, expect, it } from 'vitest';

const main = new URL('../src/main.ts', import.meta.url);

describe('async-download, run against the embedded sites server', () => {
  it('downloads the default 80 sites in about one latency', async () => {
    const { code, stdout, report } = await runMain(main, ['--json']);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const record = report!.results[0]!;
    expect(record).toMatchObject({
      example: 'async-download',
      strategy: 'all-at-once',
      items: 80,
      failed: 0,
      bytes: 80 * 10240,
      idealMs: 100,
      peakInFlight: 80,
    });
    expect(report!.node).toMatch(/^v2[4-9]\./);
    // The timeline is ordered as the run happened, and ends with the run.
    const t = record.timeline as Record<string, number>;
    expect(t.connections).toBe(80);
    expect(t.connectionsOpenedMs).toBeLessThanOrEqual(t.lastRequestWrittenMs!);
    expect(t.firstAnswerMs).toBeLessThanOrEqual(t.lastAnswerMs!);
    expect(t.lastAnswerMs).toBeLessThanOrEqual(record.wallMs + 0.1);
    // All at once: every request was written before the first answer came back.
    expect(t.lastRequestWrittenMs).toBeLessThan(t.firstAnswerMs!);
    expect(record.requests).toHaveLength(80);
  });

  it('with --preconnect, opens its connections before the clock and says so', async () => {
    const { code, stdout } = await runMain(main, []);
    expect(code).toBe(0);
    const { report } = await runMain(main, ['--preconnect', '--json']);
    const record = report!.results[0]!;
    expect(record).toMatchObject({
      strategy: 'all-at-once-preconnected',
      items: 80,
      ok: 80,
      failed: 0,
      peakInFlight: 80,
      // The server counted no connection during the run: all 80 were open before it.
      connections: 0,
      preconnected: 80,
    });
    const t = record.timeline as Record<string, number>;
    expect(t.connections).toBe(0);
    expect(t.connectionsOpenedMs).toBeNull();
    expect(t.lastRequestWrittenMs).toBeLessThan(t.firstAnswerMs!);
    // The plain run's summary does not carry the label.
    expect(stdout).toContain('async-download · all-at-once\n');
    const labelled = await runMain(main, ['--preconnect', '--sites', '30']);
    expect(labelled.stdout).toContain('async-download · all-at-once-preconnected');
    expect(labelled.stdout).toContain(
      'opened before the clock: 30 connections (their time not counted)',
    );
    expect(labelled.stdout).toContain('timeline: no connections opened;');
  });

  it('scales to 10,000 sites with nothing failed, the bound respected, under 250 MB', async () => {
    // As `pnpm start` runs it (its V8 flags), the embedded server included.
    const { code, record } = await runTenThousandSites(new URL('../', import.meta.url));
    expect(code).toBe(0);
    expect(record).toMatchObject({ items: 10000, ok: 10000, failed: 0 });
    // At latency 0 the server answers each request as it parses it, so the
    // peak it sees depends on timing; the bound is what it can never exceed.
    expect(record.peakInFlight as number).toBeLessThanOrEqual(100);
    expect(record.connections as number).toBeLessThanOrEqual(100);
    // The bound for 10,000 sites, the embedded server's thread included.
    expect(record.maxRssMb as number).toBeLessThan(250);
  });

  it('says plainly when the OS runs out of file descriptors, and still accounts for every site', async () => {
    const command = `ulimit -n 150; exec '${process.execPath}' '${main.pathname}' --sites 2000 --latency 0 --json`;
    const child = spawn('sh', ['-c', command]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    const advice = stderr.split('\n').filter((line) => line.includes('out of file descriptors:'));
    expect(advice).toHaveLength(1);
    expect(advice[0]).toMatch(
      /limit of 150 open files; use fewer connections \(--connections\) or a higher limit \(ulimit -n\)/,
    );
    const record = JSON.parse(stdout).results[0];
    expect(record.ok + record.failed + record.cancelled).toBe(2000);
    expect(record.failed).toBeGreaterThan(0);
    // A reason shared by many sites is one counted line, not a line per site.
    const failedLines = stderr.split('\n').filter((line) => line.startsWith('failed: '));
    expect(failedLines.length).toBeLessThan(20);
    // Which side hits the limit first varies: the client's connects (EMFILE), or
    // the embedded server, which then resets and refuses connections.
    expect(stderr).toMatch(
      /failed: \d+ sites: (out of file descriptors \(EMFILE\)|connection refused|connection reset)/,
    );
  });

  it('cancels on Ctrl-C: prints the partial summary and exits 130', async () => {
    const child = spawn(process.execPath, [main.pathname, '--latency', '5000', '--sites', '20']);
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    while (!stdout.includes('sites:')) await once(child.stdout, 'data');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const start = performance.now();
    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    expect(code).toBe(130);
    expect(performance.now() - start).toBeLessThan(3000);
    expect(stdout).toContain('20 items');
    // Cancelled is not failed: items = ok + failed + cancelled.
    expect(stdout).toContain('20 items in');
    expect(stdout).toMatch(/, 0 failed\n/);
    expect(stdout).toContain('outcome: 0 ok, 0 failed, 20 cancelled');
    expect(stdout).toContain('interrupted: 1 of 1 runs done.');
  });

  rejectsBadInput(main, [
    ['--connections', '0'],
    ['--timeout', '-1'],
    ['--fail-share', '2'],
    ['--timeout', '0'],
    ['--preconnect', '--url', 'http://127.0.0.1:9/'],
  ]);

  rejectsBadInput(
    main,
    [
      [['--server', 'http://127.0.0.1:9/', '--latency', '5'], '--latency'],
      [['--server', 'http://127.0.0.1:9/', '--bytes', '100'], '--bytes'],
      [['--url', 'http://127.0.0.1:9/', '--fail-share', '0.1'], '--fail-share'],
      [['--url', 'http://127.0.0.1:9/', '--trickle-share', '0.1'], '--trickle-share'],
      [
        ['--url', 'http://127.0.0.1:9/', '--repeat', '60000', '--url', 'http://127.0.0.1:8/'],
        '--repeat',
      ],
    ],
    { title: 'refuses flags that would do nothing, naming the conflict' },
  );
});
