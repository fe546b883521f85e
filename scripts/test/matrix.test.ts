import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cells } from '../src/cells.ts';
import { checkMatrix, type Matrix } from '../src/matrix.ts';
import { findPython } from '../src/python.ts';

const script = new URL('../src/matrix.ts', import.meta.url).pathname;

describe('pnpm matrix --quick', () => {
  it('runs every cell and writes a matrix.json of the declared shape', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'matrix-'));
    const out = join(dir, 'matrix.json');
    const python = findPython();
    if (!python.python) console.warn(`Python cells not expected: ${python.problem}`);
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [script, '--quick', '--with-python', '--report', '--out', out],
        { timeout: 240_000, maxBuffer: 1 << 24 },
        (error, text, stderr) =>
          error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(text),
      ),
    );
    expect(stdout).toContain('concurrency-lab matrix (quick)');
    const matrix = JSON.parse(readFileSync(out, 'utf8')) as Matrix;
    expect(checkMatrix(matrix)).toEqual([]);

    // Every cell present: each program ran, with the strategies it reports.
    const expected = cells({ quick: true, withPython: python.python !== null });
    for (const cell of expected) {
      const rows = matrix.results.filter(
        (r) => r.example === cell.example && r.language === cell.language,
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
    ]);
    expect(strategies('cpu')).toEqual(['sequential', 'async', 'threads', 'processes']);
    expect(strategies('loop')).toEqual(['blocking', 'chunked', 'worker']);
    expect(matrix.results.every((r) => r.failed === 0)).toBe(true);
    // The speedups are ratios measured in this matrix, against each workload's sequential run.
    const io = matrix.results.filter((r) => r.workload === 'io');
    expect(io.find((r) => r.strategy === 'sequential')?.speedup).toBe(1);
    expect(io.find((r) => r.strategy === 'all-at-once')!.speedup!).toBeGreaterThan(3);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<svg');
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
