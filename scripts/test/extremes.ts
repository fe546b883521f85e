// No flag can take the machine: every numeric option of the examples this
// suite owns, and of the root scripts, has an upper bound its --help states.
// Past either end it is one line and exit code 2 (extremes.test.ts); at the
// end, a run stays within the time and memory stated here
// (extremes.speed.test.ts, alone, since it times them).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../src/paths.ts';

const program = (path: string) => join(repoRoot, path);
export const PROGRAMS = {
  'racy-counter': program('examples/racy-counter/src/main.ts'),
  'safe-counter': program('examples/safe-counter/src/main.ts'),
  'cpu-multiprocess': program('examples/cpu-multiprocess/src/main.ts'),
  'async-basics': program('examples/async-basics/src/main.ts'),
  'event-loop': program('examples/event-loop/src/main.ts'),
  matrix: program('scripts/src/matrix.ts'),
  compare: program('scripts/src/compare.ts'),
  report: program('scripts/src/report.ts'),
  sites: program('packages/sites/src/main.ts'),
};
export type Name = keyof typeof PROGRAMS;

// GNU time reports the peak memory of what it runs; without it, only time is checked.
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

export function run(name: Name, args: string[], timeoutMs = 20_000) {
  const [command, argv] = gnuTime
    ? [gnuTime, ['-f', 'peak-kb %M', process.execPath, PROGRAMS[name], ...args]]
    : [process.execPath, [PROGRAMS[name], ...args]];
  const start = performance.now();
  return new Promise<{ code: number; stdout: string; stderr: string; ms: number; mb: number }>(
    (resolve) =>
      execFile(
        command,
        argv,
        { timeout: timeoutMs, maxBuffer: 1 << 24 },
        (error, stdout, stderr) => {
          const peak = /peak-kb (\d+)\s*$/.exec(stderr);
          // GNU time's own lines (its "Command exited with non-zero status N" too) are not the program's.
          const own = (peak ? stderr.slice(0, peak.index) : stderr).replace(
            /^Command exited with non-zero status \d+\n/m,
            '',
          );
          resolve({
            code: error ? Number(error.code ?? 1) : 0,
            stdout,
            stderr: own,
            ms: performance.now() - start,
            mb: peak ? Number(peak[1]) / 1024 : 0,
          });
        },
      ),
  );
}
