import { Cancelled } from '@lab/download/failure';
import { downloadWatched, mockedSites, runNotesProgram } from '@lab/download/testing';
import { startSitesServer } from '@lab/sites';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { downloadAllSites } from '../src/sync-download.ts';

const mocked = mockedSites();
const urls = mocked.urls;
// The Session: one connection per host.
const session = () => mocked.keep(new Agent({ connections: 1 }));

describe('sync-download', () => {
  it('downloads every site exactly once, one at a time', async () => {
    const sites = mocked.mock(8, { latencyMs: 10, bytes: 1000 });
    const { results, seen } = await downloadWatched(() => downloadAllSites(urls(8), session()));
    expect(results.map((r) => r.url)).toEqual(urls(8));
    expect(results.every((r) => r.ok && r.bytes === 1000)).toBe(true);
    // Seen from outside, on undici's diagnostics channels: each site as it ended.
    expect(seen).toHaveLength(8);
    expect(seen.map((s) => s.url)).toEqual(urls(8));
    expect(Array.from({ length: 8 }, (_, n) => sites!.hits(n))).toEqual(Array(8).fill(1));
    expect(sites.peakInFlight()).toBe(1);
  });

  it('reports a failing site by URL and still downloads the rest', async () => {
    const sites = mocked.mock(10, { latencyMs: 0, faults: { error: 0.2, reset: 0.1, stall: 0 } });
    const results = await downloadAllSites(urls(10), session());
    const failed = results.filter((r) => !r.ok);
    expect(failed.length).toBe(3);
    expect(failed.every((r) => r.url.startsWith(sites!.origin) && r.error)).toBe(true);
    expect(results.filter((r) => r.ok)).toHaveLength(7);
  });

  it('stops at once when the run is cancelled (its session destroyed), mid-download', async () => {
    const server = await startSitesServer({ latencyMs: 1000 });
    const agent = session();
    setTimeout(() => void agent.destroy(new Cancelled()), 200);
    const start = performance.now();
    const results = await downloadAllSites([server.siteUrl(0), server.siteUrl(1)], agent);
    await server.close();
    expect(performance.now() - start).toBeLessThan(800);
    expect(results).toMatchObject([
      { url: server.siteUrl(0), ok: false, bytes: 0, error: 'cancelled' },
    ]);
    expect(results).toHaveLength(1);
  });

  it('runs alone: the notes 80 sites, a line each, and the time', async () => {
    const last = await runNotesProgram(new URL('../src/sync-download.ts', import.meta.url));
    expect(last).toMatch(/^Downloaded 80 sites in \d+(\.\d+)? seconds$/);
    // One after another, 100 ms each.
    expect(Number(last.split(' ')[4])).toBeGreaterThanOrEqual(8 * 0.95);
  });
});
