import { startSitesServer } from '@lab/sites';
import { mockSites } from '@lab/sites/nock';
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { CANCELLED, cycle, downloadSite } from '../src/index.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
const agent = (connections = 1) => {
  const a = new Agent({ connections });
  cleanups.push(() => a.close());
  return a;
};
const running = new AbortController().signal;

describe('downloadSite', () => {
  it('counts the bytes of a site it downloads', async () => {
    const sites = mockSites(1, { latencyMs: 0, bytes: 4321 });
    cleanups.push(() => sites.done());
    const result = await downloadSite(sites.siteUrl(0), agent(), {
      timeoutMs: 1000,
      signal: running,
    });
    expect(result).toEqual({ url: sites.siteUrl(0), ok: true, bytes: 4321 });
  });

  it('turns each failure into a result that says why, never a throw', async () => {
    const server = await startSitesServer({
      latencyMs: 0,
      faults: { error: 0.25, reset: 0.25, stall: 0.25 },
    });
    cleanups.push(() => server.close());
    const results = await Promise.all(
      [0, 1, 2, 3, 4, 5, 6, 7].map((n) =>
        downloadSite(server.siteUrl(n), agent(), { timeoutMs: 300, signal: running }),
      ),
    );
    const errors = new Set(results.map((r) => r.error?.replace(/\(.*\)/, '()')));
    expect(errors).toContain('HTTP 500');
    expect(errors).toContain('connection reset ()');
    expect(errors).toContain('timed out after 300 ms');
    expect(results.filter((r) => r.ok).every((r) => r.bytes === 10240)).toBe(true);
  });

  it('reports a refused connection', async () => {
    const server = await startSitesServer({ latencyMs: 0 });
    const url = server.siteUrl(0);
    await server.close();
    const result = await downloadSite(url, agent(), { timeoutMs: 1000, signal: running });
    expect(result).toMatchObject({ ok: false, error: 'connection refused' });
  });

  it('says cancelled when the run was cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const sites = mockSites(1, { latencyMs: 0 });
    cleanups.push(() => sites.done());
    const a = new Agent();
    await a.destroy();
    const result = await downloadSite(sites.siteUrl(0), a, {
      timeoutMs: 1000,
      signal: controller.signal,
    });
    expect(result).toMatchObject({ ok: false, error: CANCELLED });
  });
});

describe('cycle', () => {
  it("repeats the URLs to the number of downloads asked for, like the notes' [a, b] * 80", () => {
    const urls = [new URL('http://a.test/'), new URL('http://b.test/')];
    expect(cycle(urls, 5)).toEqual([
      'http://a.test/',
      'http://b.test/',
      'http://a.test/',
      'http://b.test/',
      'http://a.test/',
    ]);
  });
});
