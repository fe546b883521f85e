// pnpm bench:trace [-- --rounds N]: what watching a run costs it.
//
// The same two lessons, run with and without --trace in turns (plain,
// traced, plain, traced, ...) so that the machine's drift falls on both
// alike: all at once's efficiency (80 sites at 100 ms) and the thread race's
// lost share (4 threads x 1,000,000). Each is printed as the median of its
// rounds, with the traced one's difference from the plain one.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, option, parseOptions, runCli, startFlags } from '@lab/harness';
import { repoRoot } from '../src/paths.ts';

interface Case {
  label: string;
  example: string;
  args: string[];
  /** The figure the lesson is about, from the run's record. */
  figure: { name: string; of(record: Record<string, number>): number };
}

const cases: Case[] = [
  {
    label: 'all at once, 80 sites at 100 ms',
    example: 'async-download',
    args: [],
    figure: { name: 'efficiency', of: (r) => r.efficiency! },
  },
  {
    label: 'the thread race, 4 x 1,000,000',
    example: 'racy-counter',
    args: ['--strategy', 'threads'],
    figure: { name: 'lost share', of: (r) => r.lost! / r.expected! },
  },
];

function runOnce(c: Case, trace: string | null): Promise<Record<string, number>> {
  const folder = join(repoRoot, 'examples', c.example);
  const args = [
    ...startFlags(folder),
    join(folder, 'src', 'main.ts'),
    ...c.args,
    '--json',
    ...(trace ? ['--trace', trace] : []),
  ];
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      args,
      { cwd: folder, timeout: 120_000, maxBuffer: 1 << 26 },
      (error, stdout) => {
        if (error) reject(new Error(`${c.example} ${c.args.join(' ')}: ${error.message}`));
        else resolve(JSON.parse(stdout).results[0]);
      },
    ),
  );
}

runCli('bench:trace', async ({ signal }) => {
  const { rounds } = parseOptions(
    process.argv.slice(2),
    { rounds: option.int('turns of each, plain and traced', { default: 7, min: 1, max: 50 }) },
    'Usage: pnpm bench:trace [-- --rounds N]\nWhat --trace costs all at once and the thread race, run in turns with and without it.',
  );
  const dir = mkdtempSync(join(tmpdir(), 'trace-cost-'));
  try {
    console.log(`${rounds} rounds each, in turns; medians`);
    console.log(
      `  ${'lesson'.padEnd(34)} ${'figure'.padEnd(11)} ${'plain'.padStart(8)} ${'traced'.padStart(8)}  difference`,
    );
    for (const c of cases) {
      const plain: number[] = [];
      const traced: number[] = [];
      for (let i = 0; i < rounds && !signal.aborted; i++) {
        plain.push(c.figure.of(await runOnce(c, null)));
        traced.push(c.figure.of(await runOnce(c, join(dir, `${c.example}-${i}.json`))));
      }
      const [p, t] = [median(plain), median(traced)];
      const change = ((t - p) / p) * 100;
      console.log(
        `  ${c.label.padEnd(34)} ${c.figure.name.padEnd(11)} ${p.toFixed(3).padStart(8)} ${t.toFixed(3).padStart(8)}  ${change >= 0 ? '+' : ''}${change.toFixed(1)}%`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return 0;
});
