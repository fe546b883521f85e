import { testContext } from '@lab/download/testing';
import { startSitesServer } from '@lab/sites';
import { type MockedSites, mockSites } from '@lab/sites/nock';
import { afterEach, describe, expect, it } from 'vitest';
import { downloadAllSites } from '../src/sync-download.ts';

let sites: MockedSites | undefined;
afterEach(() => sites?.done());
const urls = (count: number) => Array.from({ length: count }, (_, n) => sites!.siteUrl(n));

describe('sync-download', () => {
  it('downloads every site exactly once, one at a time', async () => {
    sites = mockSites(8, { latencyMs: 10, bytes: 1000 });
    const { context, seen } = testContext();
    const results = await downloadAllSites(urls(8), { ...context, keepAlive: true });
    expect(results.map((r) => r.url)).toEqual(urls(8));
    expect(results.every((r) => r.ok && r.bytes === 1000)).toBe(true);
    expect(seen).toHaveLength(8);
    expect(Array.from({ length: 8 }, (_, n) => sites!.hits(n))).toEqual(Array(8).fill(1));
    expect(sites.peakInFlight()).toBe(1);
  });

  it('takes at least N x latency, because each site waits for the one before', async () => {
    sites = mockSites(10, { latencyMs: 50 });
    const start = performance.now();
    await downloadAllSites(urls(10), { ...testContext().context, keepAlive: true });
    expect(performance.now() - start).toBeGreaterThanOrEqual(10 * 50 * 0.95);
  });

  it('reports a failing site by URL and still downloads the rest', async () => {
    sites = mockSites(10, { latencyMs: 0, faults: { error: 0.2, reset: 0.1, stall: 0 } });
    const results = await downloadAllSites(urls(10), { ...testContext().context, keepAlive: true });
    const failed = results.filter((r) => !r.ok);
    expect(failed.length).toBe(3);
    expect(failed.every((r) => r.url.startsWith(sites!.origin) && r.error)).toBe(true);
    expect(results.filter((r) => r.ok)).toHaveLength(7);
  });

  it('stops at once when the run is cancelled, mid-download', async () => {
    const server = await startSitesServer({ latencyMs: 1000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const start = performance.now();
    const results = await downloadAllSites([server.siteUrl(0), server.siteUrl(1)], {
      ...testContext({ signal: controller.signal }).context,
      keepAlive: true,
    });
    await server.close();
    expect(performance.now() - start).toBeLessThan(800);
    expect(results).toMatchObject([
      { url: server.siteUrl(0), ok: false, bytes: 0, error: 'cancelled' },
    ]);
    expect(results).toHaveLength(1);
  });
});
