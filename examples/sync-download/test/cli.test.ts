import { runMain } from '@lab/download/testing';
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
    expect(report?.results[0]?.wallMs).toBeGreaterThanOrEqual(10 * 20 * 0.95);
  });

  it('opens a new connection for every site with --no-keepalive, and pays the handshake each time', async () => {
    const args = ['--sites', '8', '--latency', '10', '--handshake', '40', '--json'];
    const kept = await runMain(main, args);
    const fresh = await runMain(main, [...args, '--no-keepalive']);
    expect(kept.report?.results[0]).toMatchObject({ connections: 1, failed: 0 });
    expect(fresh.report?.results[0]).toMatchObject({
      strategy: 'sequential-no-keepalive',
      connections: 8,
      failed: 0,
    });
    // 8 handshakes instead of 1: about 7 x 40 ms more, measured side by side.
    expect(fresh.report!.results[0]!.wallMs - kept.report!.results[0]!.wallMs).toBeGreaterThan(150);
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

  it('rejects bad input with one line and exit code 2', async () => {
    for (const args of [['--sites', '0'], ['--latency', 'abc'], ['--url', 'nope'], ['--wat']]) {
      const { code, stdout, stderr } = await runMain(main, args);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(/^sync-download: /);
    }
  });
});
