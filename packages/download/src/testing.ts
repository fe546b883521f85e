// Helpers for the download examples' tests (not used at run time).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runStart } from '@lab/harness/testing';
import { epochNow, observeDownloads } from './observe.ts';

export { type CliRun, runMain, runStart } from '@lab/harness/testing';

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

/** A lesson file run alone, as `node src/<file>.ts` runs it (Node 24: vitest's own). */
export function runLesson(file: URL, timeoutMs = 60_000) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [fileURLToPath(file)],
      { cwd: fileURLToPath(new URL('../', file)), timeout: timeoutMs },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: unknown }).code as number) : 0;
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
      },
    );
  });
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
