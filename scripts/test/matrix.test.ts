import { execFile, spawn } from 'node:child_process';
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
import { findPython } from '@lab/harness';
import { runMain } from '@lab/harness/testing';
import { describe, expect, it } from 'vitest';
import { cells } from '../src/cells.ts';
import { pythonModules } from '../src/lab.ts';
import { expectsGain } from '../src/lessons.ts';
import { loadExamples } from '../src/manifest.ts';
import { planCells } from '../src/plan.ts';
import { checkMatrix, type Matrix } from '../src/types.ts';

const script = new URL('../src/matrix.ts', import.meta.url).pathname;

/** Run the matrix CLI; resolve with its stdout (reject with its stderr). */
const matrixCli = (args: string[]) =>
  new Promise<string>((resolve, reject) =>
    execFile(
      process.execPath,
      [script, ...args],
      { timeout: 240_000, maxBuffer: 1 << 24 },
      (error, text, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(text),
    ),
  );

describe('pnpm matrix --quick', () => {
  it('runs every cell and writes a matrix.json of the declared shape', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'matrix-'));
    const out = join(dir, 'matrix.json');
    const python = findPython(pythonModules());
    if (!python.python) console.warn(`Python cells not expected: ${python.problem}`);
    const stdout = await matrixCli(['--quick', '--with-python', '--report', '--out', out]);
    expect(stdout).toContain('concurrency-lab matrix (quick)');
    const matrix = JSON.parse(readFileSync(out, 'utf8')) as Matrix;
    expect(checkMatrix(matrix)).toEqual([]);

    // Every cell present: each program ran, with the strategies it reports.
    const expected = planCells(cells({ quick: true, withPython: true }), python).runnable;
    expect(expected.filter((c) => c.language === 'node')).toHaveLength(14);
    for (const cell of expected) {
      // The throughput benchmark's records name the example each client ran.
      const rows = matrix.results.filter(
        (r) =>
          r.workload === cell.workload &&
          r.language === cell.language &&
          (cell.workload === 'throughput' || r.example === cell.example),
      );
      expect(rows.length, `${cell.example} (${cell.language})`).toBeGreaterThan(0);
    }
    const strategies = (workload: string) =>
      matrix.results
        .filter((r) => r.workload === workload && r.language === 'node')
        .map((r) => r.strategy);
    expect(strategies('io')).toEqual([
      'sequential',
      'pool-tasks',
      'pool-threads',
      'pool-processes',
      'all-at-once',
      'all-at-once-preconnected',
    ]);
    // The lesson's four first; the example may add variants of its own after them (warm pools).
    expect(strategies('cpu').slice(0, 4)).toEqual(['sequential', 'async', 'threads', 'processes']);
    expect(strategies('loop')).toEqual(['blocking', 'chunked', 'worker']);
    expect(strategies('throughput')).toEqual(['sequential', 'pool-tasks', 'all-at-once']);
    // Requests per second, each as measured: the benchmark's own rate for the items it timed.
    for (const r of matrix.results.filter((r) => r.workload === 'throughput')) {
      expect(r.reqPerSec, r.strategy).toBeCloseTo(r.items / (r.wallMs / 1000), -2);
    }
    expect(matrix.results.every((r) => r.failed === 0)).toBe(true);
    // Every strategy a record names is one its example's manifest declares (a sweep's rows name their route).
    const declared = new Map(
      loadExamples().map((e) => [
        e.name,
        new Set([...e.lab.strategies, ...(e.lab.python?.strategies ?? [])]),
      ]),
    );
    for (const r of matrix.results) {
      const own = declared.get(r.example);
      if (!own) continue; // wrk's row, the loopback bound
      const named = own.has(r.strategy) || r.strategy.split(' ').some((word) => own.has(word));
      expect(named, `${r.example} ${r.strategy}`).toBe(true);
    }
    // The race's summary is in the table: the fixes are exact, in both languages.
    for (const fixed of matrix.results.filter(
      (r) => r.example === 'safe-counter' && !r.strategy.startsWith('racy'),
    )) {
      expect(fixed.lost, fixed.strategy).toBe(0);
    }
    expect(stdout).toMatch(/atomics \(safe-counter\).*exact: 400,000/);
    // The speedups are ratios measured in this matrix, against each workload's sequential run.
    const io = matrix.results.filter((r) => r.workload === 'io');
    expect(io.find((r) => r.strategy === 'sequential')?.speedup).toBe(1);
    expect(io.find((r) => r.strategy === 'all-at-once')!.speedup!).toBeGreaterThan(3);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<svg');
    // A speedup below 1 where the lesson expects a gain (at these sizes the
    // workers' start-up often outweighs the work) is marked and explained
    // under the table, never left to read as the lesson reversed.
    for (const r of matrix.results.filter((r) => expectsGain(r) && r.speedup! < 1)) {
      expect(stdout).toContain(`  ! ${r.workload} ${r.strategy} (${r.example}): `);
      expect(stdout).toMatch(
        new RegExp(`${r.strategy} \\(${r.example}\\) .* ${r.speedup!.toFixed(2)}x !`),
      );
    }
    // The Python originals' downloads carry their request times, as the Node examples' do.
    for (const r of matrix.results.filter((r) => r.workload === 'io' && r.language === 'python')) {
      expect(r.requests, r.strategy).toHaveLength(r.items);
    }
    if (matrix.results.some((r) => r.language === 'python')) {
      expect(stdout).toContain('Node against Python, the same job');
    }
  });
});

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
