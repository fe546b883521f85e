// Helpers for the examples' tests (not used at run time).
import { execFile } from 'node:child_process';
import type { Report } from './record.ts';

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
