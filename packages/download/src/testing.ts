// Helpers for the download examples' tests (not used at run time).

import type { DownloadHooks } from './context.ts';
import type { SiteResult } from './download-site.ts';

/** Hooks for calling a downloadAllSites() directly, collecting what it reports. */
export function testHooks(overrides: Partial<DownloadHooks> = {}) {
  const seen: SiteResult[] = [];
  const measured: Record<string, number> = {};
  const hooks: DownloadHooks = {
    timeoutMs: 5_000,
    signal: new AbortController().signal,
    onResult: (result) => seen.push(result),
    measured: (fields) => Object.assign(measured, fields),
    ...overrides,
  };
  return { hooks, seen, measured };
}

import { runStart } from '@lab/harness/testing';

export { type CliRun, runMain, runStart } from '@lab/harness/testing';

/**
 * Issue 10's memory case: the example in `packageFolder` downloads 10,000
 * sites at latency 0 from its embedded server, run as `pnpm start` runs it.
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
