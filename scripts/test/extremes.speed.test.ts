// No flag can take the machine: every numeric option of the examples this
// suite owns, and of the root scripts, has an upper bound its --help states.
// Past either end it is one line and exit code 2; at the end, a run stays
// within the time and memory stated here.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../src/paths.ts';

const program = (path: string) => join(repoRoot, path);
const PROGRAMS = {
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
type Name = keyof typeof PROGRAMS;

// GNU time reports the peak memory of what it runs; without it, only time is checked.
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

function run(name: Name, args: string[], timeoutMs = 20_000) {
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

/** Past either end: one line naming the flag, exit code 2, nothing started. */
const refused: [Name, string[], string][] = [
  ['racy-counter', ['--workers', '0'], '--workers'],
  ['racy-counter', ['--workers', '17'], '--workers'],
  ['racy-counter', ['--increments', '20000001'], '--increments'],
  ['racy-counter', ['--workers', '16', '--increments', '1250001'], '--increments'],
  ['safe-counter', ['--workers', '17'], '--workers'],
  ['safe-counter', ['--increments', '0'], '--increments'],
  ['safe-counter', ['--workers', '2', '--increments', '10000001'], '--increments'],
  ['cpu-multiprocess', ['--workers', '17'], '--workers'],
  ['cpu-multiprocess', ['--numbers', '1001'], '--numbers'],
  ['cpu-multiprocess', ['--seconds', '61'], '--seconds'],
  ['cpu-multiprocess', ['--seconds', '0.01'], '--seconds'],
  ['cpu-multiprocess', ['--base', '94906266'], '--base'],
  ['async-basics', ['--scale', '11'], '--scale'],
  ['async-basics', ['--scale', '0'], '--scale'],
  ['event-loop', ['--numbers', '1001'], '--numbers'],
  ['event-loop', ['--seconds', '61'], '--seconds'],
  ['event-loop', ['--base', '94906266'], '--base'],
  ['matrix', ['--repeat', '11'], '--repeat'],
  ['matrix', ['--repeat', '0'], '--repeat'],
  ['compare', ['--width', '19', 'racy-counter', 'safe-counter'], '--width'],
  ['compare', ['--width', '1001', 'racy-counter', 'safe-counter'], '--width'],
  ['sites', ['--port', '65536'], '--port'],
  ['sites', ['--latency', '600001'], '--latency'],
  ['sites', ['--jitter', '600001'], '--jitter'],
  ['sites', ['--handshake', '600001'], '--handshake'],
  ['sites', ['--bytes', '104857601'], '--bytes'],
  ['sites', ['--fail-share', '1.5'], '--fail-share'],
];

/** At the end: a run within the stated time (ms) and memory (MB). */
const allowed: [Name, string[], number, number][] = [
  // 16 threads, the most: their start-up and memory are the cost.
  ['racy-counter', ['--workers', '16', '--increments', '1'], 10_000, 700],
  ['safe-counter', ['--workers', '16', '--increments', '1'], 10_000, 700],
  // The most increments in all, on the fastest path.
  [
    'racy-counter',
    ['--strategy', 'threads', '--workers', '1', '--increments', '20000000'],
    10_000,
    400,
  ],
  // 16 members in each pool, the most, and the most numbers at the smallest size.
  ['cpu-multiprocess', ['--workers', '16', '--numbers', '16', '--base', '1000'], 15_000, 900],
  [
    'cpu-multiprocess',
    ['--numbers', '1000', '--base', '1', '--strategy', 'threads-warm'],
    10_000,
    400,
  ],
  ['event-loop', ['--numbers', '1000', '--base', '1'], 10_000, 400],
  ['event-loop', ['--seconds', '0.05'], 10_000, 400],
  ['async-basics', ['--scale', '0.001'], 5_000, 300],
  ['compare', ['--width', '20', 'racy-counter', 'safe-counter'], 5_000, 300],
  ['compare', ['--width', '1000', 'racy-counter', 'safe-counter'], 5_000, 300],
];

describe('no flag can take the machine', () => {
  it('states an upper bound for every numeric option in --help', async () => {
    for (const name of Object.keys(PROGRAMS) as Name[]) {
      const { code, stdout } = await run(name, ['--help']);
      expect(code, name).toBe(0);
      // An option that takes a number (N, X, MS) names its most.
      const numeric = stdout.split('\n').filter((line) => /^ {2}--\S+ (N|X|MS)\b/.test(line));
      for (const line of numeric) expect(line, `${name}: ${line}`).toMatch(/at most \d/);
    }
  });

  it('refuses a value past either end in one line, exit code 2', async () => {
    for (const [name, args, flag] of refused) {
      const { code, stdout, stderr, ms } = await run(name, args);
      const what = `${name} ${args.join(' ')}`;
      expect(code, what).toBe(2);
      expect(stderr.trim().split('\n'), what).toHaveLength(1);
      expect(stderr, what).toContain(flag);
      expect(stdout, what).toBe('');
      expect(ms, what).toBeLessThan(5_000);
    }
  });

  it('runs at the ends within the stated time and memory', async () => {
    for (const [name, args, maxMs, maxMb] of allowed) {
      const { code, stderr, ms, mb } = await run(name, args, maxMs * 2);
      const what = `${name} ${args.join(' ')}`;
      expect(code, `${what}: ${stderr}`).toBe(0);
      expect(ms, what).toBeLessThan(maxMs);
      expect(mb, what).toBeLessThan(maxMb);
    }
  }, 120_000);
});
