// Helpers for the examples' tests (not used at run time).
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Report } from './record.ts';
import { startFlags } from './start-flags.ts';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The --json report, when stdout held one. */
  report: Report | null;
}

/** Run an example's main.ts on this Node (24) and collect what it printed. */
export function runMain(
  mainFile: URL,
  args: string[],
  timeoutMs = 60_000,
  nodeFlags: string[] = [],
): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...nodeFlags, mainFile.pathname, ...args],
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

/**
 * Run a package's src/main.ts as `pnpm start` runs it: with the Node flags of
 * its start script (a V8 flag can move peak memory by tens of MB).
 */
export function runStart(packageFolder: URL, args: string[], timeoutMs = 60_000): Promise<CliRun> {
  const main = new URL('src/main.ts', packageFolder);
  return runMain(main, args, timeoutMs, startFlags(fileURLToPath(packageFolder)));
}

export interface Interrupted {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run an example's main.ts, wait until its stdout shows `cue` (an event, not
 * a clock), then press Ctrl-C (SIGINT) and collect what it printed until it
 * exits. Rejects if the program exits before the cue.
 */
export async function interruptAfter(
  mainFile: URL,
  args: string[],
  cue: string | RegExp,
): Promise<Interrupted> {
  const child = spawn(process.execPath, [mainFile.pathname, ...args]);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = once(child, 'close').then(([code]) => code as number | null);
  const seen = () => (typeof cue === 'string' ? stdout.includes(cue) : cue.test(stdout));
  while (!seen()) {
    const early = await Promise.race([
      once(child.stdout, 'data').then(() => false),
      exited.then(() => true),
    ]);
    if (early && !seen()) throw new Error(`exited before printing ${cue}: ${stderr.trim()}`);
  }
  child.kill('SIGINT');
  const code = await exited;
  return { code, stdout, stderr };
}

/**
 * Mark every process this test process starts from now on: they inherit the
 * mark in their environment, and so do theirs. The function returned lists
 * those of them still running ("pid command line"), so a test can check that
 * a run left nothing behind, whatever the other tests beside it are running.
 */
export function markOwnProcesses(name: string): () => string[] {
  const mark = `LAB_TEST_MARK=${name}-${process.pid}-${Date.now()}`;
  process.env.LAB_TEST_MARK = mark.slice('LAB_TEST_MARK='.length);
  return () =>
    readdirSync('/proc')
      .filter((pid) => /^\d+$/.test(pid) && pid !== String(process.pid))
      .flatMap((pid) => {
        try {
          if (!readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(mark)) return [];
          const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
          return [`${pid} ${command.trim()}`];
        } catch {
          return []; // gone while we looked, or not ours to read
        }
      });
}
