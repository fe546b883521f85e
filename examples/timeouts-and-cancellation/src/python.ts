// The asyncio original (python/timeouts_and_cancellation.py), run against
// the same sites servers as the TypeScript, so one server counts both.
import { execFile } from 'node:child_process';
import { findPython, kebab } from '@lab/harness';
import type { SitesServer } from '@lab/sites';

export const script = new URL('../python/timeouts_and_cancellation.py', import.meta.url).pathname;

/** The Python that runs the original: Debian's first, which has aiohttp (the first python3 on PATH may not). */
export const asyncioPython = () => findPython(['aiohttp']);

export interface PythonRecord {
  strategy: string;
  lines: string[];
  [field: string]: unknown;
}

/** What keeps the original from running here (no Python, or no aiohttp), or null. Asked once. */
export const pythonProblem = (): string | null => asyncioPython().problem;

/** The flags that point the original at the servers and at this run's sizes. */
export function pythonArgs(
  servers: { slow: SitesServer; fast: SitesServer },
  sizes: Record<string, number>,
): string[] {
  const flags = Object.entries(sizes).flatMap(([name, value]) => [
    `--${kebab(name)}`,
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
  const python = asyncioPython().python ?? 'python3';
  return new Promise((resolve, reject) => {
    execFile(
      python,
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
