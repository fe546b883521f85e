import { startSitesServer } from '@lab/sites';
import { mockSites } from '@lab/sites/nock';
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { CANCELLED, downloadSite, openSession, repeat, Session } from '../src/index.ts';
import { epochNow, observeDownloads } from '../src/observe.ts';
import { failureLines, outcomeOf } from '../src/report.ts';
import { recordTimeline } from '../src/timeline.ts';

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
/** What the harness sees of the downloads on this thread, until stop(). */
const observe = () => observeDownloads({ signal: running, countBytes: true, onSite: () => {} });

describe('downloadSite', () => {
  it('counts the bytes of a site it downloads', async () => {
    const sites = mockSites(1, { latencyMs: 0, bytes: 4321 });
    cleanups.push(() => sites.done());
    const seen = observe();
    const result = await downloadSite(sites.siteUrl(0), agent(), 1000);
    expect(result).toMatchObject({ url: sites.siteUrl(0), ok: true, bytes: 4321 });
    // Its times, seen on undici's channels, are in order: asked, first byte, end.
    const [[startedAt, firstByteAt, endedAt]] = seen.stop(epochNow()).requests as [
      [number, number, number],
    ];
    expect(startedAt).toBeLessThanOrEqual(firstByteAt);
    expect(firstByteAt).toBeLessThanOrEqual(endedAt);
  });

  it('turns each failure into a result that says why, never a throw', async () => {
    const server = await startSitesServer({
      latencyMs: 0,
      faults: { error: 0.25, reset: 0.25, stall: 0.25 },
    });
    cleanups.push(() => server.close());
    const results = await Promise.all(
      [0, 1, 2, 3, 4, 5, 6, 7].map((n) => downloadSite(server.siteUrl(n), agent(), 300)),
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
    const result = await downloadSite(url, agent(), 1000);
    expect(result).toMatchObject({ ok: false, error: 'connection refused' });
  });

  it('says cancelled when the run was cancelled: its session destroyed, before or during', async () => {
    const sites = mockSites(1, { latencyMs: 0 });
    cleanups.push(() => sites.done());
    const a = new Agent();
    await a.destroy();
    const result = await downloadSite(sites.siteUrl(0), a, 1000);
    expect(result).toMatchObject({ ok: false, error: CANCELLED });
    // Ctrl-C: the harness's session is destroyed with a request in flight.
    const server = await startSitesServer({ latencyMs: 1000 });
    cleanups.push(() => server.close());
    const controller = new AbortController();
    const session = openSession({ connections: 1 }, controller.signal);
    setTimeout(() => controller.abort(), 100);
    const inFlight = await downloadSite(server.siteUrl(0), session);
    expect(inFlight).toMatchObject({ ok: false, error: CANCELLED });
  });
});

describe('the deadline covers the whole download', () => {
  it.each([
    ['the real server', 'server'],
    ['the nock twin', 'nock'],
  ])('cuts off a site that trickles its body, on %s, at the deadline', async (_name, kind) => {
    const faults = { error: 0, reset: 0, stall: 0, trickle: 1 };
    let url: string;
    if (kind === 'server') {
      const server = await startSitesServer({ latencyMs: 0, bytes: 1000, faults });
      cleanups.push(() => server.close());
      url = server.siteUrl(0);
    } else {
      const sites = mockSites(1, { latencyMs: 0, bytes: 1000, faults });
      cleanups.push(() => sites.done());
      url = sites.siteUrl(0);
    }
    const seen = observe();
    const result = await downloadSite(url, agent(), 400);
    expect(result).toMatchObject({ url, ok: false, error: 'timed out after 400 ms' });
    const [[startedAt, firstByteAt, endedAt]] = seen.stop(epochNow()).requests as [
      [number, number | null, number],
    ];
    // The headers came (a byte at a time kept it from ever being idle), and the cut came at the deadline.
    expect(firstByteAt).not.toBeNull();
    expect(endedAt - startedAt).toBeGreaterThanOrEqual(390);
    expect(endedAt - startedAt).toBeLessThan(400 * 3);
  });

  it("charges a site for its wait for a connection, as aiohttp's total does", async () => {
    const server = await startSitesServer({ latencyMs: 150 });
    cleanups.push(() => server.close());
    // The deadline is the session's, as aiohttp's ClientSession(timeout=) carries it.
    const session = new Session({ connections: 1, timeoutMs: 400 });
    cleanups.push(() => session.close());
    // Four sites over one connection, a 400 ms deadline each from the call:
    // the first two arrive (150, 300 ms), the third would end at 450 ms.
    const results = await Promise.all(
      [0, 1, 2, 3].map((n) => downloadSite(server.siteUrl(n), session)),
    );
    expect(results.map((r) => r.ok)).toEqual([true, true, false, false]);
    expect(results[2]!.error).toBe('timed out after 400 ms');
  });
});

describe("the timeline, from undici's diagnostics channels", () => {
  it('counts the connections opened and orders written, first and last answer', async () => {
    const server = await startSitesServer({ latencyMs: 50 });
    cleanups.push(() => server.close());
    const session = agent(10);
    const startedAt = epochNow();
    const recording = recordTimeline();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, n) => downloadSite(server.siteUrl(n), session)),
    );
    const t = recording.stop(startedAt);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(t.connections).toBe(10);
    // All at once: every request written before the first answer, 50 ms later.
    expect(t.connectionsOpenedMs!).toBeLessThanOrEqual(t.lastRequestWrittenMs!);
    expect(t.lastRequestWrittenMs!).toBeLessThan(t.firstAnswerMs!);
    expect(t.firstAnswerMs! - t.lastRequestWrittenMs!).toBeGreaterThan(30);
    expect(t.firstAnswerMs!).toBeLessThanOrEqual(t.lastAnswerMs!);
    // Stopped: a second batch is not seen, and nothing was opened by a second look.
    await downloadSite(server.siteUrl(0), session);
    expect(recording.stop(startedAt).connections).toBe(10);
  });
});

describe('the outcome of a run', () => {
  it('counts ok, failed and cancelled apart, and they add up to the items', () => {
    const results = [
      { url: 'a', ok: true, bytes: 1 },
      { url: 'b', ok: false, bytes: 0, error: 'HTTP 500' },
      { url: 'c', ok: false, bytes: 0, error: CANCELLED },
    ];
    // Five items, three results: the two never reached were cancelled too.
    const outcome = outcomeOf(5, results);
    expect(outcome).toMatchObject({ items: 5, ok: 1, cancelled: 3 });
    expect(outcome.failures.map((f) => f.url)).toEqual(['b']);
    expect(outcome.ok + outcome.failures.length + outcome.cancelled).toBe(outcome.items);
  });

  it('names a few failures one by one (by reason, as first seen) and collapses a reason shared by many into one counted line', () => {
    const fail = (n: number, error: string) => ({ url: `u${n}`, ok: false, bytes: 0, error });
    const failures = [
      fail(1, 'HTTP 500'),
      ...Array.from({ length: 50 }, (_, n) => fail(n + 2, 'out of file descriptors (EMFILE)')),
      fail(99, 'HTTP 500'),
    ];
    expect(failureLines(failures)).toEqual([
      'failed: u1 (HTTP 500)',
      'failed: u99 (HTTP 500)',
      'failed: 50 sites: out of file descriptors (EMFILE) (first: u2)',
    ]);
  });

  it('counts every site that did not arrive as cancelled when the run was cancelled', () => {
    const results = [
      { url: 'a', ok: true, bytes: 1 },
      { url: 'b', ok: false, bytes: 0, error: 'thread died (exit code 1)' },
    ];
    expect(outcomeOf(3, results, true)).toMatchObject({ ok: 1, cancelled: 2, failures: [] });
  });

  it('lays out per-request times from the run start, in the order they started, rounded to 0.1 ms', async () => {
    const sites = mockSites(3, { latencyMs: 20 });
    cleanups.push(() => sites.done());
    const session = agent(3);
    const startedAt = epochNow();
    const seen = observe();
    await Promise.all([0, 1, 2].map((n) => downloadSite(sites.siteUrl(n), session)));
    const rows = seen.stop(startedAt).requests;
    expect(rows).toHaveLength(3);
    for (const row of rows) for (const v of row) expect(Math.round(v! * 10) / 10).toBe(v);
    for (let i = 1; i < rows.length; i++)
      expect(rows[i]![0]).toBeGreaterThanOrEqual(rows[i - 1]![0]);
    expect(rows.every(([start, first, end]) => start <= first! && first! <= end)).toBe(true);
  });
});

describe('repeat', () => {
  it("downloads the list the number of times asked for, like the notes' [a, b] * 80", () => {
    const urls = [new URL('http://a.test/'), new URL('http://b.test/')];
    expect(repeat(urls, 1)).toEqual(['http://a.test/', 'http://b.test/']);
    expect(repeat(urls, 2)).toEqual([
      'http://a.test/',
      'http://b.test/',
      'http://a.test/',
      'http://b.test/',
    ]);
  });
});
