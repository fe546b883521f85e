import { testContext } from '@lab/download/testing';
import { poolIdeal } from '@lab/harness';
import { type SitesServer, startSitesServer } from '@lab/sites';
import { type MockedSites, mockSites } from '@lab/sites/nock';
import { afterEach, describe, expect, it } from 'vitest';
import { downloadAllSites as withTasks } from '../src/pool-download.ts';
import { downloadAllSites as withProcesses } from '../src/process-pool.ts';
import { downloadAllSites as withThreads } from '../src/thread-pool.ts';

let sites: MockedSites | undefined;
let server: SitesServer | undefined;
afterEach(async () => {
  sites?.done();
  await server?.close();
  sites = server = undefined;
});

describe('pool-download as tasks (p-limit)', () => {
  it('never has more than C in flight, and takes at least ceil(N / C) x latency', async () => {
    sites = mockSites(23, { latencyMs: 50 });
    const urls = Array.from({ length: 23 }, (_, n) => sites!.siteUrl(n));
    const start = performance.now();
    const results = await withTasks(urls, { ...testContext().context, concurrency: 5 });
    const elapsed = performance.now() - start;
    expect(results.every((r) => r.ok)).toBe(true);
    expect(Array.from({ length: 23 }, (_, n) => sites!.hits(n))).toEqual(Array(23).fill(1));
    expect(sites.peakInFlight()).toBe(5);
    expect(elapsed).toBeGreaterThanOrEqual(poolIdeal(23, 5, 50) * 0.95);
  });
});

describe.each([
  ['threads', withThreads],
  ['processes', withProcesses],
] as const)('pool-download as %s', (kind, downloadAllSites) => {
  const member = kind === 'threads' ? 'thread' : 'process';
  it('downloads every site once with at most C in flight', async () => {
    server = await startSitesServer({ latencyMs: 30, bytes: 500 });
    const urls = Array.from({ length: 30 }, (_, n) => server!.siteUrl(n));
    const { context, measured } = testContext();
    const results = await downloadAllSites(urls, { ...context, concurrency: 3 });
    expect(results.filter((r) => r.ok)).toHaveLength(30);
    expect(new Set(results.map((r) => r.url)).size).toBe(30);
    expect(await server.hits()).toEqual(Array(30).fill(1));
    const stats = await server.stats();
    expect(stats.peakInFlight).toBeLessThanOrEqual(3);
    expect(stats.peakInFlight).toBeGreaterThanOrEqual(2);
    expect(measured.startupMs).toBeGreaterThan(0);
  });

  it('reports the sites of a member that dies, and finishes', async () => {
    server = await startSitesServer({ latencyMs: 0 });
    const urls = Array.from({ length: 6 }, (_, n) => server!.siteUrl(n));
    const results = await downloadAllSites(urls, {
      ...testContext().context,
      concurrency: 2,
      memberFile: new URL('./fixtures/dying-worker.ts', import.meta.url),
    });
    expect(results).toHaveLength(6);
    const dead = results.filter((r) => r.error === `${member} died (exit code 3)`);
    expect(dead).toHaveLength(2);
    expect(results.filter((r) => r.error === `no ${member} left to run it`)).toHaveLength(4);
  });
});
