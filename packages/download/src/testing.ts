// Helpers for the download examples' tests (not used at run time).
import { runLesson, runStart } from '@lab/harness/testing';
import { type MockedSites, mockSites } from '@lab/sites/nock';
import type { Dispatcher } from 'undici';
import { afterEach, expect } from 'vitest';
import type { SiteResult } from './download-site.ts';
import { epochNow, observeDownloads } from './observe.ts';

export { type CliRun, rejectsBadInput, runLesson, runMain, runStart } from '@lab/harness/testing';

/**
 * The memory case: the example in `packageFolder` downloads 10,000 sites at
 * latency 0 from its embedded server, run as `pnpm start` runs it; its peak
 * memory is to stay under 250 MB.
 */
export async function runTenThousandSites(packageFolder: URL) {
  const { code, report } = await runStart(packageFolder, [
    '--sites',
    '10000',
    '--latency',
    '0',
    '--json',
  ]);
  return { code, record: report!.results[0]! };
}

/**
 * A lesson file's program run alone: the notes' 80 sites, `Read 10240 from
 * <url>` for each, then the time. Checks that it exited 0 and printed the 80
 * lines; returns its last line, the time, for the test to read.
 */
export async function runNotesProgram(file: URL): Promise<string> {
  const { code, stdout } = await runLesson(file);
  expect(code).toBe(0);
  const lines = stdout.trim().split('\n');
  expect(
    lines.filter((l) => /^Read 10240 from http:\/\/127\.0\.0\.1:\d+\/site\/\d+$/.test(l)),
  ).toHaveLength(80);
  return lines.at(-1) ?? '';
}

/**
 * A test file's mocked sites (nock), one mock a test: after each test its
 * mock is checked done, and the sessions it kept are destroyed.
 */
export function mockedSites() {
  let sites: MockedSites | undefined;
  const sessions: Dispatcher[] = [];
  afterEach(async () => {
    sites?.done();
    await Promise.all(sessions.splice(0).map((s) => s.destroy()));
  });
  return {
    mock: (...args: Parameters<typeof mockSites>) => {
      sites = mockSites(...args);
      return sites;
    },
    /** The first `count` URLs of this test's mock. */
    urls: (count: number) => Array.from({ length: count }, (_, n) => sites!.siteUrl(n)),
    /** A session for this test, destroyed after it. */
    keep: <D extends Dispatcher>(session: D): D => {
      sessions.push(session);
      return session;
    },
  };
}

/** Download while watching, as the harness does: what the lesson returned, and each site seen. */
export async function downloadWatched(download: () => Promise<SiteResult[]>) {
  const watch = watchSites();
  const results = await download();
  const { seen } = watch;
  watch.stop();
  return { results, seen };
}

/**
 * Watch the sites downloaded on this thread, as the harness does (undici's
 * diagnostics channels), until stop(): each one's outcome as it ends.
 */
export function watchSites() {
  const seen: Array<{ ok: boolean; bytes: number; url: string }> = [];
  const observer = observeDownloads({
    signal: new AbortController().signal,
    countBytes: true,
    onSite: (ok, bytes, url) => seen.push({ ok, bytes, url }),
  });
  return { seen, stop: (startedAt = epochNow()) => observer.stop(startedAt) };
}
