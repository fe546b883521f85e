import { Session } from '@lab/download';
import { downloadWatched, mockedSites, runNotesProgram } from '@lab/download/testing';
import { startSitesServer } from '@lab/sites';
import { describe, expect, it } from 'vitest';
import { downloadAllSites } from '../src/async-download.ts';

const mocked = mockedSites();
const urls = mocked.urls;
// The ClientSession: at most `connections` sockets to a host.
const session = (connections = 100, timeoutMs?: number) =>
  mocked.keep(new Session({ connections, timeoutMs }));

describe('async-download', () => {
  it('downloads every site exactly once, all of them in flight together', async () => {
    const sites = mocked.mock(20, { latencyMs: 50, bytes: 2000 });
    const { results, seen } = await downloadWatched(() => downloadAllSites(urls(20), session()));
    expect(results.map((r) => r.url)).toEqual(urls(20));
    expect(results.reduce((sum, r) => sum + r.bytes, 0)).toBe(20 * 2000);
    // Seen from outside, on undici's diagnostics channels: each site as it ended.
    expect(seen).toHaveLength(20);
    expect(Array.from({ length: 20 }, (_, n) => sites!.hits(n))).toEqual(Array(20).fill(1));
    expect(sites.peakInFlight()).toBe(20);
  });

  it('reports failing sites by URL while the others succeed', async () => {
    mocked.mock(20, { latencyMs: 10, faults: { error: 0.1, reset: 0.1, stall: 0.1 } });
    // The session's deadline, as aiohttp's ClientSession(timeout=) carries one.
    const results = await downloadAllSites(urls(20), session(100, 300));
    const failed = results.filter((r) => !r.ok);
    expect(failed).toHaveLength(6);
    expect(new Set(failed.map((r) => r.error?.split(' ')[0]))).toEqual(
      new Set(['HTTP', 'connection', 'timed']),
    );
  });

  it('never opens more than the session allows: the deliberate bound', async () => {
    const server = await startSitesServer({ latencyMs: 20 });
    try {
      const all = Array.from({ length: 60 }, (_, n) => server.siteUrl(n));
      const results = await downloadAllSites(all, session(10));
      expect(results.every((r) => r.ok)).toBe(true);
      const stats = await server.stats();
      expect(stats.peakInFlight).toBeLessThanOrEqual(10);
      expect(stats.connections).toBeLessThanOrEqual(10);
    } finally {
      await server.close();
    }
  });

  it('runs alone: the notes 80 sites, a line each, and the time', async () => {
    const last = await runNotesProgram(new URL('../src/async-download.ts', import.meta.url));
    expect(last).toMatch(/^Downloaded 80 sites in \d+(\.\d+)? seconds$/);
  });
});
