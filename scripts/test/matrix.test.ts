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
import { runMain } from '@lab/harness/testing';
import { describe, expect, it } from 'vitest';
import { cells } from '../src/cells.ts';
import { expectsGain, nodeAgainstPython, speedupShortfall } from '../src/lessons.ts';
import {
  checkMatrix,
  type Matrix,
  type MatrixRecord,
  mergeMatrix,
  planCells,
  withSpeedups,
} from '../src/matrix.ts';
import { outcome } from '../src/outcome.ts';
import { findPython } from '../src/python.ts';

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
    const python = findPython();
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

it("runs every Node example with its own start script's flags, as a reader's pnpm start does", () => {
  const examples = cells({ quick: false, withPython: false }).filter(
    (cell) => cell.language === 'node' && cell.example !== 'throughput',
  );
  expect(examples.length).toBeGreaterThan(5);
  for (const cell of examples) {
    const manifest = join(import.meta.dirname, '../../examples', cell.example, 'package.json');
    const { scripts } = JSON.parse(readFileSync(manifest, 'utf8'));
    expect(['node', ...(cell.nodeFlags ?? []), 'src/main.ts'].join(' ')).toBe(scripts.start);
  }
});

describe('planCells', () => {
  const wanted = cells({ quick: true, withPython: true });
  const python = { python: '/usr/bin/python3', version: 'Python 3', missing: [], problem: null };

  it('skips an example that is not built yet, once, naming it', () => {
    const { runnable, skipped } = planCells(
      wanted,
      python,
      (file) => !file.includes('pool-download/src'),
    );
    expect(skipped).toEqual([
      'skipped: pool-download not built (no examples/pool-download/src/main.ts)',
    ]);
    expect(runnable).toHaveLength(wanted.length - 3);
  });

  it('skips only the originals whose library is missing', () => {
    const { runnable, skipped } = planCells(
      wanted,
      { ...python, missing: ['requests'] },
      () => true,
    );
    expect(skipped).toEqual([
      'skipped: sync_download.py needs requests, which /usr/bin/python3 lacks',
      'skipped: thread_pool.py needs requests, which /usr/bin/python3 lacks',
    ]);
    expect(runnable.filter((c) => c.language === 'python')).toHaveLength(5);
  });
});

/** A matrix record as the matrix writes one, with what a test varies. */
const record = (
  workload: MatrixRecord['workload'],
  language: MatrixRecord['language'],
  strategy: string,
  wallMs: number,
  idealMs: number | null,
  extra: Record<string, unknown> = {},
) =>
  ({
    example: 'e',
    strategy,
    items: 20,
    failed: 0,
    bytes: 0,
    wallMs,
    idealMs,
    efficiency: null,
    speedup: null,
    node: 'v24',
    cpus: 2,
    workload,
    language,
    repeats: 1,
    spread: { minMs: wallMs, maxMs: wallMs },
    ...extra,
  }) as MatrixRecord;

describe('withSpeedups', () => {
  it("measures each language against its own sequential run, with Node's models for Python", () => {
    const out = withSpeedups(
      [
        record('io', 'node', 'sequential', 8100, 8000),
        record('io', 'node', 'pool-tasks', 1640, 1600),
        record('io', 'python', 'python-sequential', 8150, null),
        record('io', 'python', 'python-threads', 1630, null),
        record('cpu', 'node', 'sequential', 300, 300),
        // Its own run's sequential took 320 ms; the matrix's median baseline is 300.
        record('cpu', 'node', 'threads', 160, 160, { workers: 2 }),
        record('cpu', 'python', 'python-sequential', 3700, null, { workers: 1 }),
        record('cpu', 'python', 'python-threads', 3800, null, { workers: 2 }),
        record('cpu', 'python', 'python-processes', 2000, null, { workers: 2 }),
        record('race', 'node', 'atomics', 200, null),
      ],
      2,
    );
    const row = (strategy: string, workload = 'cpu') =>
      out.find((r) => r.strategy === strategy && r.workload === workload)!;
    expect(row('python-sequential', 'io')).toMatchObject({ speedup: 1, idealMs: 8000 });
    expect(row('python-threads', 'io')).toMatchObject({ speedup: 5, idealMs: 1600 });
    expect(row('python-threads')).toMatchObject({ speedup: 0.974, idealMs: 1850 });
    expect(row('python-processes')).toMatchObject({
      speedup: 1.85,
      idealMs: 1850,
      efficiency: 0.925,
    });
    expect(row('sequential')).toMatchObject({ speedup: 1, idealMs: 300 });
    expect(row('threads')).toMatchObject({ speedup: 1.875, idealMs: 150, efficiency: 0.938 });
    expect(row('atomics', 'race')).toMatchObject({ speedup: null, idealMs: null });
  });
});

describe('speedupShortfall', () => {
  const cpu = (strategy: string, wallMs: number, speedup: number, extra = {}) =>
    ({
      example: 'cpu-multiprocess',
      strategy,
      workload: 'cpu',
      language: strategy.startsWith('python-') ? 'python' : 'node',
      wallMs,
      speedup,
      repeats: 3,
      spread: { minMs: wallMs, maxMs: wallMs },
      ...extra,
    }) as unknown as MatrixRecord;
  const sequential = cpu('sequential', 300, 1);

  it('explains a speedup below 1 where the lesson expects a gain by its start-up share', () => {
    const threads = cpu('threads', 400, 0.75, { startupMs: 250, bareStartupMs: 40 });
    expect(speedupShortfall(threads, [sequential, threads])).toBe(
      '0.75x, below 1 where the lesson expects a gain: start-up 250.0 ms is 63% of its 400.0 ms (a bare worker starts in 40.0 ms)',
    );
    // async and Python's threads are not expected to gain: below 1 is their lesson, not a shortfall.
    for (const r of [cpu('async', 310, 0.97), cpu('python-threads', 3100, 0.97)]) {
      expect(expectsGain(r)).toBe(false);
      expect(speedupShortfall(r, [sequential, r])).toBeNull();
    }
  });

  it('flags a speedup below its prediction only by more than the noise', () => {
    const within = cpu('processes', 170, 1.76, { predictedSpeedup: 1.9 });
    expect(speedupShortfall(within, [sequential, within])).toBeNull();
    const short = cpu('processes', 200, 1.5, { predictedSpeedup: 1.9, startupMs: 60 });
    expect(speedupShortfall(short, [sequential, short])).toBe(
      '1.50x (predicted 1.90x), below the prediction by more than the noise (10%): start-up 60.0 ms is 30% of its 200.0 ms',
    );
    // With runs that far apart, the same 1.5x is within the noise.
    const noisy = { ...short, spread: { minMs: 150, maxMs: 260 } };
    expect(speedupShortfall(noisy, [sequential, noisy])).toBeNull();
    // A warm pool, started before the clock: the reason is in the work, task for task.
    const warm = cpu('threads-warm', 400, 0.75, { startupMs: 0, taskMs: 30 });
    expect(speedupShortfall(warm, [{ ...sequential, taskMs: 10 }, warm])).toBe(
      '0.75x, below 1 where the lesson expects a gain: no start-up in its time; each task took 30.0 ms against 10.0 ms in the baseline run',
    );
    const python = cpu('python-processes', 3000, 0.9);
    expect(speedupShortfall(python, [cpu('python-sequential', 2700, 1), python])).toBe(
      '0.90x, below 1 where the lesson expects a gain: no start-up time measured for it',
    );
  });
});

describe('nodeAgainstPython', () => {
  it('sets the same job in both languages side by side, and nothing without its twin', () => {
    const r = (language: string, strategy: string, wallMs: number) =>
      ({ workload: 'cpu', language, strategy, wallMs }) as MatrixRecord;
    const pairs = nodeAgainstPython([
      r('node', 'sequential', 300),
      r('node', 'threads', 160),
      r('node', 'async', 290),
      r('python', 'python-sequential', 3900),
      r('python', 'python-threads', 4000),
    ]);
    expect(pairs.map((p) => [p.node.strategy, p.python.strategy, p.ratio])).toEqual([
      ['sequential', 'python-sequential', 13],
      ['threads', 'python-threads', 25],
    ]);
  });
});

describe('outcome', () => {
  it("sums up each run's own result in a few words", () => {
    const base = { failed: 0 } as unknown as MatrixRecord;
    expect(outcome({ ...base, lost: 140516, expected: 400000, actual: 259484 })).toBe(
      'lost 140,516 of 400,000',
    );
    expect(outcome({ ...base, lost: 0, expected: 400000, actual: 400000 })).toBe('exact: 400,000');
    expect(outcome({ ...base, ticksMissed: 1, delayP99Ms: 3.1 })).toBe('1 tick missed, p99 3.1 ms');
    expect(outcome({ ...base, peakInFlight: 5, connections: 5 })).toBe(
      'peak 5 in flight, 5 connections',
    );
    expect(outcome({ ...base, exact: false })).toBe('WRONG sums');
    expect(outcome(base)).toBe('');
  });
});

describe('checkMatrix', () => {
  it('names what is wrong with a malformed matrix', () => {
    expect(checkMatrix({ machine: {}, results: [] })).toContain('results is empty');
    const bad = {
      machine: { cpuModel: 'x', cpus: 2, memoryGb: 1, os: 'y', node: 'v24' },
      results: [
        {
          example: 'e',
          strategy: 's',
          workload: 'io',
          items: 1,
          failed: 0,
          wallMs: 5,
          repeats: 1,
          idealMs: 'no',
          efficiency: null,
          speedup: null,
          spread: { minMs: 6, maxMs: 7 },
        },
      ],
    };
    expect(checkMatrix(bad)).toEqual([
      'results[0].idealMs is not a number or null',
      'results[0].spread does not hold its median',
    ]);
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
  const machine = {
    cpuModel: 'AMD EPYC',
    cpus: 2,
    memoryGb: 8,
    os: 'Linux',
    node: 'v24',
    python: 'Python 3.11',
  };
  const row = (workload: string, language: string, strategy: string, wallMs = 100) =>
    record(
      workload as MatrixRecord['workload'],
      language as MatrixRecord['language'],
      strategy,
      wallMs,
      null,
    );
  const earlier: Matrix = {
    machine,
    quick: true,
    results: [
      row('io', 'node', 'sequential', 900),
      row('io', 'python', 'python-sequential', 950),
      row('basics', 'node', 'sequential', 150),
      row('basics', 'node', 'concurrent', 100),
    ],
  };
  const fresh: Matrix = {
    machine: { ...machine, python: null },
    quick: true,
    results: [row('basics', 'node', 'sequential', 160), row('basics', 'node', 'group', 90)],
  };
  const strategies = (m: Matrix) => m.results.map((r) => `${r.workload} ${r.strategy} ${r.wallMs}`);

  it("replaces that workload's rows and keeps every other workload's", () => {
    const { matrix, kept } = mergeMatrix(earlier, fresh, {
      workloads: ['basics'],
      withPython: false,
    });
    expect(kept).toBe(2);
    expect(strategies(matrix)).toEqual([
      'io sequential 900',
      'io python-sequential 950',
      'basics sequential 160',
      'basics group 90',
    ]);
    // Python's rows were kept, so its version stays named; speedups recomputed.
    expect(matrix.machine.python).toBe('Python 3.11');
    expect(matrix.results.find((r) => r.strategy === 'group')?.speedup).toBe(1.778);
  });

  it("keeps that workload's Python rows unless this run ran Python", () => {
    const io: Matrix = { ...fresh, results: [row('io', 'node', 'sequential', 800)] };
    const without = mergeMatrix(earlier, io, { workloads: ['io'], withPython: false }).matrix;
    expect(strategies(without).slice(0, 2)).toEqual([
      'io sequential 800',
      'io python-sequential 950',
    ]);
    const withPython = mergeMatrix(earlier, io, { workloads: ['io'], withPython: true }).matrix;
    expect(strategies(withPython).filter((s) => s.startsWith('io'))).toEqual(['io sequential 800']);
  });

  it('replaces a matrix of the other size or from another machine, saying why', () => {
    const full = mergeMatrix({ ...earlier, quick: false }, fresh, {
      workloads: ['basics'],
      withPython: false,
    });
    expect(full).toMatchObject({ matrix: fresh, kept: 0, replaced: 'it was a full matrix' });
    const other = mergeMatrix({ ...earlier, machine: { ...machine, cpus: 8 } }, fresh, {
      workloads: ['basics'],
      withPython: false,
    });
    expect(other.replaced).toBe('it came from another machine');
  });

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
