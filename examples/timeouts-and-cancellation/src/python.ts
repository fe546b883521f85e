// The asyncio original (python/timeouts_and_cancellation.py), run against
// the same sites servers as the TypeScript, so one server counts both.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { SitesServer } from '@lab/sites';

/** Debian's Python 3.11, which has aiohttp (the first python3 on PATH may not). */
export const PYTHON = '/usr/bin/python3';
export const script = new URL('../python/timeouts_and_cancellation.py', import.meta.url).pathname;

export interface PythonRecord {
  strategy: string;
  lines: string[];
  [field: string]: unknown;
}

let problem: string | null | undefined;

/** What keeps the original from running here (no Python, or no aiohttp), or null. Asked once. */
export function pythonProblem(): string | null {
  if (problem !== undefined) return problem;
  if (!existsSync(PYTHON)) problem = `no ${PYTHON}`;
  else {
    try {
      execFileSync(PYTHON, ['-c', 'import aiohttp'], { stdio: 'ignore', timeout: 20_000 });
      problem = null;
    } catch {
      problem = `${PYTHON} has no aiohttp (apt-get install python3-aiohttp)`;
    }
  }
  return problem;
}

/** The flags that point the original at the servers and at this run's sizes. */
export function pythonArgs(
  servers: { slow: SitesServer; fast: SitesServer },
  sizes: Record<string, number>,
): string[] {
  const flags = Object.entries(sizes).flatMap(([name, value]) => [
    `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
    String(value),
  ]);
  return ['--server', servers.slow.origin, '--fast-server', servers.fast.origin, ...flags];
}

/** Run some sections of the original; their records, each with the lines it said. */
export function runPython<R extends object = object>(
  sections: string[],
  args: string[],
  signal?: AbortSignal,
): Promise<(PythonRecord & R)[]> {
  return new Promise((resolve, reject) => {
    execFile(
      PYTHON,
      [script, '--json', '--only', sections.join(','), ...args],
      { signal, timeout: 60_000 }, // Ctrl-C (the signal) kills it
      (error, stdout, stderr) => {
        if (error)
          return reject(
            signal?.aborted
              ? signal.reason
              : new Error(`python: ${stderr.trim().split('\n').at(-1) ?? error.message}`),
          );
        resolve((JSON.parse(stdout) as { results: (PythonRecord & R)[] }).results);
      },
    );
  });
}
