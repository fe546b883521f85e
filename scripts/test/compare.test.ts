import { execFile } from 'node:child_process';
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
        [script, 'sync-download', 'async-download', '--width', '120'],
        (error, out) => (error ? reject(error) : resolve(out)),
      ),
    );
    expect(stdout.split('\n')[0]).toMatch(/^sync-download\.ts\s+async-download\.ts$/);
    expect(stdout).toMatch(/\d+ lines alike, \d+ differ/);
    expect(stdout).toContain('Promise.all');
  });
});
