import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain } from '@lab/harness/testing';
import { describe, expect, it } from 'vitest';

const report = new URL('../src/report.ts', import.meta.url);

/** Run the report as pnpm does: in scripts/, with INIT_CWD the folder the reader stands in. */
const reportFrom = (where: string, args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    execFile(
      process.execPath,
      [report.pathname, ...args],
      { cwd: new URL('..', import.meta.url).pathname, env: { ...process.env, INIT_CWD: where } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    ),
  );

const matrix = {
  machine: { cpuModel: 'x', cpus: 2, memoryGb: 1, os: 'Linux', node: 'v24', python: null },
  quick: true,
  results: [
    {
      example: 'async-basics',
      strategy: 'sequential',
      workload: 'basics',
      language: 'node',
      items: 2,
      failed: 0,
      bytes: 0,
      wallMs: 150,
      idealMs: 150,
      efficiency: 1,
      speedup: 1,
      node: 'v24',
      cpus: 2,
      repeats: 1,
      spread: { minMs: 150, maxMs: 150 },
    },
  ],
};

describe('pnpm report, bad input', () => {
  it('names the stray option or argument in one line and exits 2, writing nothing', async () => {
    for (const args of [['--frobnicate'], ['extra'], ['--quick'], ['--matrix']]) {
      const run = await runMain(report, args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(run.stderr, args.join(' ')).toContain(args[0]);
      expect(run.stderr).not.toContain('    at ');
      expect(run.stdout).not.toContain('wrote');
    }
  });

  it('says which matrix is missing or malformed, as a path from where the reader stands', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-cli-'));
    const missing = await reportFrom(dir, ['--matrix', 'nope/matrix.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      'report: no nope/matrix.json: run pnpm matrix first, or give --matrix FILE (see --help)\n',
    );
    writeFileSync(join(dir, 'bad.json'), '{"machine": {}, "results": []}');
    const bad = await reportFrom(dir, ['--matrix', 'bad.json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('bad.json is not a matrix: machine.cpuModel is missing');
  });
});

describe('pnpm report', () => {
  it('prints its usage for --help and exits 0', async () => {
    const run = await runMain(report, ['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: pnpm report/);
    expect(run.stdout).toContain('--matrix FILE');
    expect(run.stderr).toBe('');
  });

  it('reads and writes paths from where the reader stands, in any order, and says where it wrote', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-cli-'));
    mkdirSync(join(dir, 'runs'));
    writeFileSync(join(dir, 'runs', 'm.json'), JSON.stringify(matrix));
    const run = await reportFrom(dir, ['--out', 'page.html', '--matrix', 'runs/m.json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('wrote page.html\n');
    expect(readFileSync(join(dir, 'page.html'), 'utf8')).toContain('<svg');
    // Without --out, the page goes beside the matrix it draws.
    const beside = await reportFrom(dir, ['--matrix', 'runs/m.json']);
    expect(beside.stdout).toBe(`wrote ${join('runs', 'report.html')}\n`);
    expect(existsSync(join(dir, 'runs', 'report.html'))).toBe(true);
  });
});
