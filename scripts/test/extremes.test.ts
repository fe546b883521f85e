// Every numeric option's bound, stated and enforced: one line, exit code 2.
import { describe, expect, it } from 'vitest';
import { type Name, PROGRAMS, run } from './extremes.ts';

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

describe('no flag can take the machine: its bounds', () => {
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
});
