// The quick matrix end to end, twice over the ways a reader meets it: `pnpm
// matrix -- --quick --with-python --report`, and `pnpm report` on a fresh
// clone, which runs the quick matrix itself first. Minutes of measured runs:
// part of `pnpm test:docs`, not `pnpm test`.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPython } from '@lab/harness';
import { describe, expect, it } from 'vitest';
import { cells } from '../src/cells.ts';
import { pythonModules } from '../src/lab.ts';
import { expectsGain } from '../src/lessons.ts';
import { loadExamples } from '../src/manifest.ts';
import { planCells } from '../src/plan.ts';
import { checkMatrix, type Matrix } from '../src/types.ts';
import { matrixCli } from './matrix-cli.ts';

const report = new URL('../src/report.ts', import.meta.url);

// The two runs go side by side: what they check is each run's own shape and
// its self-consistency, not its speed, and one after the other they took 80 s.
describe.concurrent('the quick matrix', () => {
  describe('pnpm matrix --quick', () => {
    it('runs every cell and writes a matrix.json of the declared shape', {
      timeout: 240_000,
    }, async () => {
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
      expect(expected.filter((c) => c.language === 'node')).toHaveLength(15);
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
      expect(strategies('cpu').slice(0, 4)).toEqual([
        'sequential',
        'async',
        'threads',
        'processes',
      ]);
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
      const fixes = new Set(
        loadExamples().flatMap((e) => [...(e.lab.fixes ?? []), ...(e.lab.python?.fixes ?? [])]),
      );
      for (const fixed of matrix.results.filter(
        (r) => r.example === 'safe-counter' && fixes.has(r.strategy),
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
      for (const r of matrix.results.filter(
        (r) => r.workload === 'io' && r.language === 'python',
      )) {
        expect(r.requests, r.strategy).toHaveLength(r.items);
      }
      if (matrix.results.some((r) => r.language === 'python')) {
        expect(stdout).toContain('Node against Python, the same job');
      }
    });
  });

  describe('pnpm report on a fresh clone', () => {
    it('says so on stderr, runs the quick matrix first, and draws it', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'report-fresh-'));
      const results = join(dir, 'results');
      const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
        execFile(
          process.execPath,
          [report.pathname],
          {
            cwd: new URL('..', import.meta.url).pathname,
            env: { ...process.env, INIT_CWD: dir, LAB_RESULTS_DIR: results },
            timeout: 180_000,
            maxBuffer: 1 << 24,
          },
          (error, stdout, stderr) =>
            resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
        ),
      );
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr.split('\n')[0]).toBe(
        'report: no results/matrix.json yet, so running the quick matrix first (pnpm matrix -- --quick, about half a minute; pnpm matrix measures the full one)',
      );
      // The matrix's own lines go to stderr; stdout is the report's one line.
      expect(run.stderr).toContain('concurrency-lab matrix (quick)');
      expect(run.stdout).toBe(`wrote ${join('results', 'report.html')}\n`);
      expect(readFileSync(join(results, 'report.html'), 'utf8')).toContain('<svg');
    }, 180_000);
  });
});
