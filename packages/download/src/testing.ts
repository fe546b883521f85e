// Helpers for the download examples' tests (not used at run time).
import { runStart } from '@lab/harness/testing';
import type { DownloadContext } from './context.ts';
import type { SiteResult } from './download-site.ts';

export { type CliRun, runMain, runStart } from '@lab/harness/testing';

/** A context for calling a downloadAllSites() directly, collecting what it reports. */
export function testContext(overrides: Partial<DownloadContext> = {}) {
  const seen: SiteResult[] = [];
  const measured: Record<string, number> = {};
  const context: DownloadContext = {
    timeoutMs: 5_000,
    signal: new AbortController().signal,
    onResult: (result) => seen.push(result),
    measured: (fields) => Object.assign(measured, fields),
    ...overrides,
  };
  return { context, seen, measured };
}

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
