import { testContext } from '@lab/download/testing';
import { startSitesServer } from '@lab/sites';
import { type MockedSites, mockSites } from '@lab/sites/nock';
import { afterEach, describe, expect, it } from 'vitest';
// The sequential sibling, to measure the speedup side by side.
import { downloadAllSites as downloadOneByOne } from '../../sync-download/src/sync-download.ts';
import { downloadAllSites } from '../src/async-download.ts';

let sites: MockedSites | undefined;
afterEach(() => sites?.done());
const urls = (count: number) => Array.from({ length: count }, (_, n) => sites!.siteUrl(n));

describe('async-download', () => {
  it('downloads every site exactly once, all of them in flight together', async () => {
    sites = mockSites(20, { latencyMs: 50, bytes: 2000 });
    const { context, seen } = testContext();
    const results = await downloadAllSites(urls(20), { ...context, maxConnections: 100 });
    expect(results.map((r) => r.url)).toEqual(urls(20));
    expect(results.reduce((sum, r) => sum + r.bytes, 0)).toBe(20 * 2000);
    expect(seen).toHaveLength(20);
    expect(Array.from({ length: 20 }, (_, n) => sites!.hits(n))).toEqual(Array(20).fill(1));
    expect(sites.peakInFlight()).toBe(20);
  });

  it('is at least 5x faster than one site after another (20 sites at 50 ms)', async () => {
    sites = mockSites(20, { latencyMs: 50 });
    let start = performance.now();
    await downloadOneByOne(urls(20), { ...testContext().context, keepAlive: true });
    const sequentialMs = performance.now() - start;
    sites.done();
    sites = mockSites(20, { latencyMs: 50 });
    start = performance.now();
    await downloadAllSites(urls(20), { ...testContext().context, maxConnections: 100 });
    const allAtOnceMs = performance.now() - start;
    expect(sequentialMs / allAtOnceMs).toBeGreaterThanOrEqual(5);
  });

  it('reports failing sites by URL while the others succeed', async () => {
    sites = mockSites(20, { latencyMs: 10, faults: { error: 0.1, reset: 0.1, stall: 0.1 } });
    const results = await downloadAllSites(urls(20), {
      ...testContext({ timeoutMs: 300 }).context,
      maxConnections: 100,
    });
    const failed = results.filter((r) => !r.ok);
    expect(failed).toHaveLength(6);
    expect(new Set(failed.map((r) => r.error?.split(' ')[0]))).toEqual(
      new Set(['HTTP', 'connection', 'timed']),
    );
  });

  it('never opens more than maxConnections sockets: the deliberate bound', async () => {
    const server = await startSitesServer({ latencyMs: 20 });
    try {
      const all = Array.from({ length: 60 }, (_, n) => server.siteUrl(n));
      const results = await downloadAllSites(all, { ...testContext().context, maxConnections: 10 });
      expect(results.every((r) => r.ok)).toBe(true);
      const stats = await server.stats();
      expect(stats.peakInFlight).toBeLessThanOrEqual(10);
      expect(stats.connections).toBeLessThanOrEqual(10);
    } finally {
      await server.close();
    }
  });
});
