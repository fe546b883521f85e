import { runNotesProgram, watchSites } from '@lab/download/testing';
import { type SitesServer, startSitesServer } from '@lab/sites';
import { type MockedSites, mockSites } from '@lab/sites/nock';
import { Agent } from 'undici';
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
  it('never has more than C in flight', async () => {
    sites = mockSites(23, { latencyMs: 50 });
    const urls = Array.from({ length: 23 }, (_, n) => sites!.siteUrl(n));
    const session = new Agent({ connections: 5 });
    const results = await withTasks(urls, session, 5);
    await session.close();
    expect(results.every((r) => r.ok)).toBe(true);
    expect(Array.from({ length: 23 }, (_, n) => sites!.hits(n))).toEqual(Array(23).fill(1));
    expect(sites.peakInFlight()).toBe(5);
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
    const watch = watchSites();
    const results = await downloadAllSites(urls, { maxWorkers: 3 });
    // Seen from outside: the members' start-up (creation to "ready"), and a row per reply.
    const { startupMs, requests } = watch.stop();
    expect(startupMs).toBeGreaterThan(0);
    expect(requests).toHaveLength(30);
    expect(watch.seen.filter((s) => s.ok)).toHaveLength(30);
    expect(results.filter((r) => r.ok)).toHaveLength(30);
    expect(new Set(results.map((r) => r.url)).size).toBe(30);
    expect(await server.hits()).toEqual(Array(30).fill(1));
    const stats = await server.stats();
    expect(stats.peakInFlight).toBeLessThanOrEqual(3);
    expect(stats.peakInFlight).toBeGreaterThanOrEqual(2);
    // A connection for each member: the notes' thread_local session.
    expect(stats.connections).toBe(3);
  });

  it('reports the sites of a member that dies, and finishes', async () => {
    server = await startSitesServer({ latencyMs: 0 });
    const urls = Array.from({ length: 6 }, (_, n) => server!.siteUrl(n));
    const results = await downloadAllSites(urls, {
      maxWorkers: 2,
      workerFile: new URL('./fixtures/dying-worker.ts', import.meta.url),
    });
    expect(results).toHaveLength(6);
    const dead = results.filter((r) => r.error === `${member} died (exit code 3)`);
    expect(dead).toHaveLength(2);
    expect(results.filter((r) => r.error === `no ${member} left to run it`)).toHaveLength(4);
  });
});

// Each lesson file, run alone: mostly waiting on the sites' latency, so side by side.
describe.concurrent('each lesson file, run alone', () => {
  it.for(['pool-download', 'thread-pool', 'process-pool'])(
    '%s.ts: the notes 80 sites, a line each, and the time',
    async (file) => {
      const last = await runNotesProgram(new URL(`../src/${file}.ts`, import.meta.url));
      // The notes' threaded version says "Downloaded 80 in ... seconds".
      expect(last).toMatch(/^Downloaded 80 in \d+(\.\d+)? seconds$/);
    },
  );
});
