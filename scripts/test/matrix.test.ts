import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain } from '@lab/harness/testing';
import { describe, expect, it } from 'vitest';
import { checkMatrix, type Matrix } from '../src/types.ts';
import { matrixCli, matrixScript } from './matrix-cli.ts';

const script = matrixScript;

/** A quick matrix of one workload, with the Python originals run by `python`. */
const quickWithPython = (only: string, python: string, out: string) =>
  matrixCli(['--quick', '--only', only, '--with-python', '--python', python, '--out', out]);

const debianPython = existsSync('/usr/bin/python3');
if (!debianPython)
  console.warn('skipped the lacking-library test: no /usr/bin/python3 to run the originals');

describe('pnpm matrix --with-python, with a Python that lacks a library', () => {
  it.skipIf(!debianPython)(
    'says so, skips only the originals that import it, and runs the rest',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'matrix-'));
      // A python3 whose probe reports no aiohttp; everything else is /usr/bin/python3.
      const fake = join(dir, 'python3');
      writeFileSync(
        fake,
        `#!/bin/sh\nif [ "$1" = "-c" ]; then echo '{"version": "3.11.2", "missing": ["aiohttp"]}'; exit 0; fi\nexec /usr/bin/python3 "$@"\n`,
      );
      chmodSync(fake, 0o755);
      const out = join(dir, 'matrix.json');
      const stdout = await quickWithPython('io', fake, out);
      expect(stdout).toContain(`python: ${fake} has no aiohttp (apt-get install python3-aiohttp)`);
      expect(stdout).toContain(`skipped: async_download.py needs aiohttp, which ${fake} lacks`);
      const matrix = JSON.parse(readFileSync(out, 'utf8')) as Matrix;
      expect(checkMatrix(matrix)).toEqual([]);
      const python = matrix.results.filter((r) => r.language === 'python');
      expect(python.map((r) => r.strategy)).toEqual(['python-sequential', 'python-threads']);
      // The matrix's own sites server saw how each original downloaded.
      expect(python.map((r) => [r.peakInFlight, r.connections])).toEqual([
        [1, 1],
        [5, 5],
      ]);
    },
  );

  it('runs the Node cells alone, and says why, when there is no Python at all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'matrix-'));
    const out = join(dir, 'matrix.json');
    const stdout = await quickWithPython('basics', join(dir, 'no-python3'), out);
    expect(stdout).toContain('python: no Python found');
    expect(stdout).toContain('skipped: async_basics.py (no Python to run it)');
    const matrix = JSON.parse(readFileSync(out, 'utf8')) as Matrix;
    expect(matrix.results.map((r) => [r.language, r.strategy])).toEqual([
      ['node', 'sequential'],
      ['node', 'concurrent'],
      ['node', 'group'],
    ]);
  });
});

describe('pnpm matrix, interrupted', () => {
  it('stops the running example, keeps the earlier matrix.json, and exits 130', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'matrix-'));
    const out = join(dir, 'matrix.json');
    writeFileSync(out, '{"earlier": true}\n');
    // Every process the matrix starts inherits this; none may outlive it.
    const marker = `LAB_MATRIX_TEST=${process.pid}-${Date.now()}`;
    const child = spawn(process.execPath, [script, '--quick', '--only', 'io', '--out', out], {
      env: { ...process.env, LAB_MATRIX_TEST: marker.split('=')[1] },
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    setTimeout(() => child.kill('SIGINT'), 1500);
    const [code] = await once(child, 'close');
    expect(code).toBe(130);
    expect(stdout).toMatch(/interrupted: [0-5] of 6 cells ran; .* left as it was/);
    expect(readFileSync(out, 'utf8')).toBe('{"earlier": true}\n');
    expect(existsSync(join(dir, 'report.html'))).toBe(false);
    const survivors = readdirSync('/proc').filter((pid) => {
      try {
        return /^\d+$/.test(pid) && readFileSync(`/proc/${pid}/environ`, 'utf8').includes(marker);
      } catch {
        return false; // gone already, or not ours to read
      }
    });
    expect(survivors).toEqual([]);
  });
});

describe('pnpm matrix, bad input', () => {
  it('names the flag in one line and exits 2', async () => {
    const matrix = new URL('../src/matrix.ts', import.meta.url);
    for (const [args, flag] of [
      [['--only', 'gpu'], '--only'],
      [['--repeat', '0'], '--repeat'],
      [['--frobnicate'], '--frobnicate'],
      [['--python', '/usr/bin/python3'], '--with-python'],
    ] as const) {
      const run = await runMain(matrix, [...args]);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toContain(flag);
      expect(run.stdout).toBe('');
    }
  });
});

describe('pnpm matrix --only, beside an earlier matrix', () => {
  it('merges its cells into the file, so the report still shows everything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'matrix-only-'));
    const out = join(dir, 'matrix.json');
    await matrixCli(['--quick', '--only', 'basics', '--out', out]);
    const stdout = await matrixCli(['--quick', '--only', 'loop', '--out', out, '--report']);
    expect(stdout).toMatch(
      /merged: the loop rows replace their earlier ones in .*; 3 rows of other workloads kept/,
    );
    // The table shows the workload that ran; the file holds both.
    expect(stdout).not.toContain('(async-basics)');
    const matrix = JSON.parse(readFileSync(out, 'utf8')) as Matrix;
    expect(checkMatrix(matrix)).toEqual([]);
    expect([...new Set(matrix.results.map((r) => r.workload))]).toEqual(['loop', 'basics']);
    const page = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(page).toContain('async-basics');
    expect(page).toContain('event-loop');
  });
});
