import { execFile } from 'node:child_process';
import { runMain } from '@lab/harness/testing';
import { describe, expect, it } from 'vitest';
import { alignLines } from '../src/align.ts';
import { renderSideBySide } from '../src/compare.ts';

describe('alignLines', () => {
  it('faces shared lines and pairs the differing ones', () => {
    const rows = alignLines(['a', 'b', 'c', 'd'], ['a', 'x', 'c', 'd', 'e']);
    expect(rows).toEqual([
      { kind: 'same', left: 'a', right: 'a' },
      { kind: 'changed', left: 'b', right: 'x' },
      { kind: 'same', left: 'c', right: 'c' },
      { kind: 'same', left: 'd', right: 'd' },
      { kind: 'right', left: null, right: 'e' },
    ]);
  });

  it('keeps lines present on one side only on that side', () => {
    const rows = alignLines(['import a', 'import p', 'body'], ['import a', 'body']);
    expect(rows.map((r) => r.kind)).toEqual(['same', 'left', 'same']);
    expect(rows[1]).toEqual({ kind: 'left', left: 'import p', right: null });
  });

  it('faces a line with its re-indented twin when one variant wraps it in a call', () => {
    const pool = ['sites.map((url) =>', '  limit(async () => {', '    return url;', '  }),', ')'];
    const all = ['sites.map(async (url) => {', '  return url;', '})'];
    expect(alignLines(pool, all)).toEqual([
      { kind: 'changed', left: 'sites.map((url) =>', right: 'sites.map(async (url) => {' },
      { kind: 'left', left: '  limit(async () => {', right: null },
      { kind: 'indent', left: '    return url;', right: '  return url;' },
      { kind: 'changed', left: '  }),', right: '})' },
      { kind: 'left', left: ')', right: null },
    ]);
  });

  it('treats identical files as all alike, and empty against full as all one-sided', () => {
    expect(alignLines(['x', 'y'], ['x', 'y']).every((r) => r.kind === 'same')).toBe(true);
    expect(alignLines([], ['x', 'y']).map((r) => r.kind)).toEqual(['right', 'right']);
  });
});

describe('renderSideBySide', () => {
  it('fits the width, marks differences, and uses no color in a pipe', () => {
    const rows = alignLines(['same line', 'left only'], ['same line', 'right side']);
    const text = renderSideBySide(rows, 41, false);
    expect(text.split('\n')).toEqual([
      // Two columns of floor((41 - 3) / 2) = 19, a mark between them.
      `${'same line'.padEnd(19)}   same line`,
      `${'left only'.padEnd(19)} | right side`,
    ]);
    expect(text).not.toContain('\x1b[');
    for (const line of renderSideBySide(alignLines(['x'.repeat(300)], ['y']), 41, false).split(
      '\n',
    )) {
      expect(line.length).toBeLessThanOrEqual(41);
    }
  });
});

describe('pnpm compare', () => {
  it('prints two examples side by side and counts what differs', async () => {
    const script = new URL('../src/compare.ts', import.meta.url).pathname;
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [script, 'pool-download', 'async-download', '--width', '120'],
        (error, out) => (error ? reject(error) : resolve(out)),
      ),
    );
    expect(stdout.split('\n')[0]).toMatch(/^pool-download\.ts\s+async-download\.ts$/);
    expect(stdout).toMatch(/\d+ lines alike.*, \d+ differ/);
    expect(stdout).toContain('Promise.all');
    // In a pipe: no color codes, and no line wider than asked.
    expect(stdout).not.toContain('\x1b[');
    expect(Math.max(...stdout.split('\n').map((line) => line.length))).toBeLessThanOrEqual(120);
    // The lesson: the same Promise.all over the sites on both sides, and the
    // pool's p-limit, which only the left has.
    const rows = stdout.split('\n');
    const left = (line: string) => line.slice(0, 55);
    const right = (line: string) => line.slice(55);
    expect(rows.some((r) => /const limit = pLimit\(maxWorkers\)/.test(left(r)))).toBe(true);
    expect(rows.some((r) => /pLimit/.test(right(r)))).toBe(false);
    expect(
      rows.some((r) => /return Promise\.all\(sites\.map\(\(url\) => limit\(/.test(left(r))),
    ).toBe(true);
    expect(
      rows.some((r) => /return Promise\.all\(sites\.map\(\(url\) => downloadSite/.test(right(r))),
    ).toBe(true);
  });

  it('takes its options before, between or after the two names', async () => {
    const compare = new URL('../src/compare.ts', import.meta.url);
    const runs = await Promise.all(
      [
        ['--width', '100', 'sync-download', 'async-download'],
        ['sync-download', '--width', '100', 'async-download'],
        ['sync-download', 'async-download', '--width=100'],
      ].map((args) => runMain(compare, args)),
    );
    for (const run of runs) {
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(runs[0]!.stdout);
    }
    const widest = Math.max(...runs[0]!.stdout.split('\n').map((line) => line.length));
    expect(widest).toBeLessThanOrEqual(100);
    expect(widest).toBeGreaterThan(90);
  });

  it('prints its usage for --help, naming one default for --width', async () => {
    const run = await runMain(new URL('../src/compare.ts', import.meta.url), ['--help']);
    expect(run.code).toBe(0);
    const width = run.stdout.split('\n').find((line) => line.includes('--width'))!;
    expect(width.match(/default/g)).toHaveLength(1);
    expect(width).toContain('the terminal width, or 160 in a pipe');
  });

  it('rejects bad input with one line naming the problem and exit code 2', async () => {
    const compare = new URL('../src/compare.ts', import.meta.url);
    for (const [args, message] of [
      [['sync-download'], 'compare takes two names or files, got 1'],
      [
        ['sync-download', 'no-such-example'],
        "'no-such-example' is neither an example name nor a file",
      ],
      [['examples', 'sync-download'], "'examples' is a folder, not a file"],
      [
        ['examples/sync-download', 'async-download'],
        "'examples/sync-download' is a folder, not a file: name the example (sync-download)",
      ],
      [['sync-download', 'async-download', '--width', 'wide'], '--width'],
      [['--frobnicate', 'sync-download', 'async-download'], 'unknown option --frobnicate'],
    ] as const) {
      const run = await runMain(compare, [...args]);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(run.stderr).toContain(message);
      expect(run.stderr).not.toContain('    at ');
    }
  });
});
