// Every numeric option's bound, stated and enforced: one line, exit code 2.
import { describe, expect, it } from 'vitest';
import { type Name, PROGRAMS, run } from './extremes.ts';

interface Bounded {
  flag: string;
  kind: string;
  min?: number;
  max?: number;
}

/** A program's numeric options with their bounds, from its own spec (`--help --json`). */
async function boundsOf(name: Name): Promise<Bounded[]> {
  const { stdout } = await run(name, ['--help', '--json']);
  const { options } = JSON.parse(stdout) as { options: Bounded[] };
  return options.filter((o) => o.kind === 'int' || o.kind === 'number');
}

/** Just past each end of an option: a whole number one beyond, a number half again beyond. */
function pastEnds({ flag, kind, min, max }: Bounded): string[][] {
  const past: number[] = [];
  if (max !== undefined) past.push(kind === 'int' ? max + 1 : max * 1.5);
  if (min !== undefined) past.push(kind === 'int' || min <= 0 ? min - 1 : min / 2);
  // `--flag=value`: a negative value would read as a flag of its own.
  return past.map((value) => [`${flag}=${value}`]);
}

/** What a program needs besides the flag to get as far as its options. */
const positionals: Partial<Record<Name, string[]>> = { compare: ['racy-counter', 'safe-counter'] };

/** Past a bound that two options set together: each within its own, their product not. */
const together: [Name, string[], string][] = [
  ['racy-counter', ['--workers', '16', '--increments', '1250001'], '--increments'],
  ['safe-counter', ['--workers', '2', '--increments', '10000001'], '--increments'],
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

  it('refuses a value past either end of every numeric option in one line, exit code 2', async () => {
    const cases = [...together];
    for (const name of Object.keys(PROGRAMS) as Name[]) {
      for (const option of await boundsOf(name)) {
        for (const args of pastEnds(option))
          cases.push([name, [...args, ...(positionals[name] ?? [])], option.flag]);
      }
    }
    expect(cases.length).toBeGreaterThan(40);
    // Past either end: one line naming the flag, exit code 2, nothing started.
    for (const [name, args, flag] of cases) {
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
