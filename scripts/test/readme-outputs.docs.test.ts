import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  allBlocks,
  cleanOutput,
  difference,
  keepShape,
  missing,
  normalise,
  type OutputBlock,
  outputBlocks,
  quickCommand,
  rewrite,
  runCommand,
} from '../src/docs-outputs.ts';

// Every marked output block in every README (the convention is at the top
// of src/docs-outputs.ts) must still be what its command prints: a fresh
// run, quick where the marker says how, must print the same lines in the
// same order with the same labels, numbers, times and sizes aside. A stale
// sample fails here; `pnpm docs:outputs` writes it again from a real run.
const blocks = allBlocks();

describe('every marked output block matches a fresh run', () => {
  it('finds the blocks', () => {
    expect(blocks.length).toBeGreaterThan(0);
  });
  for (const block of blocks) {
    const name = `${block.readme}:${block.markerLine + 1} ${quickCommand(block)}`;
    if (block.skip) {
      it.skip(`${name} (not run: ${block.skip})`, () => {});
      continue;
    }
    if (missing(block).length > 0) {
      it.skip(`${name} (not run: this machine has no ${missing(block).join(', ')})`, () => {});
      continue;
    }
    it(name, { timeout: 120_000 }, async () => {
      const run = await runCommand(quickCommand(block), 110_000);
      const output = cleanOutput(run.text);
      expect(run.code, output.slice(-10).join('\n')).toBe(block.exit);
      expect(difference(block, output)).toBeNull();
    });
  }
});

describe('the convention', () => {
  const readme = [
    'Some prose.',
    '',
    '  <!-- output: pnpm --filter demo start',
    '  quick: --size 1',
    '  vary: ^  note',
    '  -->',
    '  ```',
    '  demo · one',
    '    3 items in 12.5 ms (10.0 KB), 0 failed',
    '  ```',
    '<!-- output: pnpm compare a b > /tmp/x && cat /tmp/x -->',
    '```',
    'first',
    '...',
    'last',
    '```',
  ].join('\n');
  const [one, two] = outputBlocks('R.md', readme) as [OutputBlock, OutputBlock];

  it('reads a marker, its keys and the fenced block under it, indented or not', () => {
    expect(one).toMatchObject({
      command: 'pnpm --filter demo start',
      quick: '--size 1',
      exit: 0,
      skip: null,
      indent: '  ',
      lines: ['demo · one', '  3 items in 12.5 ms (10.0 KB), 0 failed'],
    });
    expect(two).toMatchObject({ command: 'pnpm compare a b > /tmp/x && cat /tmp/x', quick: null });
  });

  it('puts the quick flags after the pnpm command, before a redirect', () => {
    expect(quickCommand(one)).toBe('pnpm --filter demo start -- --size 1');
    expect(quickCommand({ ...two, quick: '--width 80' })).toBe(
      'pnpm compare a b -- --width 80 > /tmp/x && cat /tmp/x',
    );
    expect(quickCommand({ ...two, command: 'cd x && node m.ts', quick: '--n 2' })).toBe(
      'cd x && node m.ts --n 2',
    );
  });

  it('normalises numbers, times, sizes, plurals and column widths', () => {
    expect(normalise('  80 items in 126.8 ms (800.0 KB), 0 failed')).toBe(
      normalise('  8 items in 1.20 s (1.5 MB), 12 failed'),
    );
    expect(normalise('  threads   4000000  lost 1,698,488')).toBe(
      normalise('  threads 400  lost 3'),
    );
    expect(normalise('  1 connection')).toBe(normalise('  5 connections'));
    expect(normalise('  lost')).not.toBe(normalise('  kept'));
  });

  it('leaves out pnpm lines and blank ends, and stops at pnpm failure account', () => {
    expect(
      cleanOutput('$ node src/main.ts\n\nhello\n\n[ELIFECYCLE] Command failed\nError'),
    ).toEqual(['hello']);
  });

  it('fails a changed label or a missing line, and ignores vary lines', () => {
    expect(difference(one, ['demo · one', '  9 items in 1.00 s (1.0 MB), 2 failed'])).toBeNull();
    expect(
      difference(one, ['demo · one', '  9 items in 1.00 s (1.0 MB), 2 failed', '  note: x']),
    ).toBeNull();
    expect(difference(one, ['demo · one', '  9 things in 1.00 s, 2 failed'])).toMatch(/line 2/);
    expect(difference(one, ['demo · one'])).toMatch(/printed less/);
  });

  it('keeps a `...` block to the run first and last lines', () => {
    expect(keepShape(two.lines, ['first', 'a', 'b', 'last'])).toEqual(['first', '...', 'last']);
    expect(difference(two, ['first', 'x', 'y', 'last'])).toBeNull();
    expect(difference(two, ['first', 'x', 'y', 'other'])).toMatch(/differs/);
  });

  it('writes a run into its block, at the fence indentation', () => {
    const text = rewrite(readme, one, ['demo · two', '', '  1 item']);
    expect(outputBlocks('R.md', text)[0]!.lines).toEqual(['demo · two', '', '  1 item']);
    expect(text).toContain('\n  demo · two\n\n    1 item\n  ```');
  });
});

describe('pnpm docs:outputs on the command line', () => {
  const script = new URL('../src/docs-outputs.ts', import.meta.url).pathname;
  const run = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(process.execPath, [script, ...args], (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      ),
    );

  it('prints its usage with --help, and runs nothing', async () => {
    const { code, stdout } = await run(['--', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: pnpm docs:outputs/);
    expect(stdout).not.toContain('docs:outputs: all blocks done');
  });

  it('refuses an unknown option, or a path with no marked block, in one line with exit 2', async () => {
    for (const args of [['--bogus'], ['no/such/README.md'], ['scripts/README.md:99999']]) {
      const { code, stdout, stderr } = await run(args);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(/^docs:outputs: (unknown option --bogus|no marked output block in )/);
    }
  });
});
