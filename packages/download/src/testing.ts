// Helpers for the download examples' tests (not used at run time).
import { execFile } from 'node:child_process';
import type { Report } from '@lab/harness';
import type { SiteResult } from './download-site.ts';
import type { DownloadHooks } from './run.ts';

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

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The --json report, when stdout held one. */
  report: Report | null;
}

/** Run an example's main.ts on this Node (24) and collect what it printed. */
export function runMain(mainFile: URL, args: string[], timeoutMs = 60_000): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [mainFile.pathname, ...args],
      { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        let report: Report | null = null;
        try {
          report = JSON.parse(stdout) as Report;
        } catch {}
        const code = error ? ((error as { code?: number }).code ?? null) : 0;
        resolve({ code, stdout, stderr, report });
      },
    );
  });
}
