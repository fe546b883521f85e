// pnpm matrix: every strategy of every example, run through the examples' own
// main.ts (and, with --with-python, the notes' Python originals), each cell
// the median of --repeat runs after a warm-up. Prints one table and writes
// results/matrix.json: {"machine": {...}, "results": [record, ...]}.
//
//   pnpm matrix                 the full matrix (a few minutes)
//   pnpm matrix -- --quick      a small version, in seconds (what CI runs)
//   pnpm matrix -- --only cpu   one workload: io, cpu, race, loop, basics
//   pnpm matrix -- --with-python --report
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem, type } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  createProgress,
  formatMs,
  formatTable,
  option,
  parseOptions,
  type Report,
  type ResultRecord,
  runCli,
} from '@lab/harness';
import { startSitesThread } from '@lab/sites';
import { BASELINE, type Cell, cells, WORKLOADS, type Workload } from './cells.ts';
import { resultsDir } from './paths.ts';
import { findPython } from './python.ts';
import { writeReport } from './report.ts';

export interface Machine {
  cpuModel: string;
  cpus: number;
  memoryGb: number;
  os: string;
  node: string;
  python: string | null;
}

export interface MatrixRecord extends ResultRecord {
  workload: Workload;
  language: 'node' | 'python';
  repeats: number;
  spread: { minMs: number; maxMs: number };
}

export interface Matrix {
  machine: Machine;
  quick: boolean;
  results: MatrixRecord[];
}

/** Run one program once; resolve with its report (or an error saying why not). */
function runOnce(cell: Cell, python: string | null, signal: AbortSignal): Promise<Report> {
  const [command, args] =
    cell.language === 'node'
      ? [process.execPath, [cell.file, '--json', ...cell.args]]
      : [python ?? 'python3', [cell.file, '--json', ...cell.args]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: {
        ...process.env,
        PYTHONPATH: join(import.meta.dirname, '..', 'python'),
        PYTHONDONTWRITEBYTECODE: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      signal,
      timeout: 15 * 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', (error) => reject(error));
    child.on('close', (code) => {
      try {
        resolve(JSON.parse(stdout) as Report);
      } catch {
        const why = stderr.trim().split('\n').at(-1) ?? `exit code ${code}`;
        reject(new Error(`${cell.example} (${cell.language}) printed no report: ${why}`));
      }
    });
  });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
};

/** The records of R runs of one cell, folded into one record per strategy: the median run's, with the spread. */
export function fold(cell: Cell, runs: Report[]): MatrixRecord[] {
  const byStrategy = new Map<string, ResultRecord[]>();
  for (const run of runs) {
    for (const record of run.results) {
      byStrategy.set(record.strategy, [...(byStrategy.get(record.strategy) ?? []), record]);
    }
  }
  return [...byStrategy.values()].map((records) => {
    const times = records.map((r) => r.wallMs);
    const middle = records.find((r) => r.wallMs === median(times))!;
    return {
      ...middle,
      workload: cell.workload,
      language: cell.language,
      repeats: records.length,
      spread: { minMs: Math.min(...times), maxMs: Math.max(...times) },
    };
  });
}

/** Workloads in their reading order; within one, Node's rows first, then Python's. */
export function sortRecords(records: MatrixRecord[]): MatrixRecord[] {
  const rank = (r: MatrixRecord) =>
    WORKLOADS.indexOf(r.workload) * 2 + (r.language === 'python' ? 1 : 0);
  return records
    .map((r, i) => ({ r, i }))
    .sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i)
    .map(({ r }) => r);
}

/** Speedup of every record against its workload's Node baseline, measured in this matrix. */
export function withSpeedups(records: MatrixRecord[]): MatrixRecord[] {
  return records.map((record) => {
    const name = BASELINE[record.workload];
    const baseline = records.find(
      (r) => r.workload === record.workload && r.language === 'node' && r.strategy === name,
    );
    const speedup = baseline ? Math.round((baseline.wallMs / record.wallMs) * 1000) / 1000 : null;
    return { ...record, speedup };
  });
}

export function machine(python: string | null): Machine {
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cpus: cpus().length,
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: `${type()} ${release()}`,
    node: process.version,
    python,
  };
}

/** The shape results/matrix.json declares; returns what is wrong with a value, or [] if nothing. */
export function checkMatrix(value: unknown): string[] {
  const problems: string[] = [];
  const m = value as Matrix;
  if (typeof m !== 'object' || m === null) return ['not an object'];
  for (const key of ['cpuModel', 'cpus', 'memoryGb', 'os', 'node'] as const) {
    if (m.machine?.[key] === undefined) problems.push(`machine.${key} is missing`);
  }
  if (!Array.isArray(m.results) || m.results.length === 0) return [...problems, 'results is empty'];
  m.results.forEach((r, i) => {
    const fields: [string, string][] = [
      ['example', 'string'],
      ['strategy', 'string'],
      ['workload', 'string'],
      ['items', 'number'],
      ['failed', 'number'],
      ['wallMs', 'number'],
      ['repeats', 'number'],
    ];
    for (const [key, kind] of fields) {
      if (typeof r[key] !== kind) problems.push(`results[${i}].${key} is not a ${kind}`);
    }
    for (const key of ['idealMs', 'efficiency', 'speedup']) {
      if (!(key in r) || (r[key] !== null && typeof r[key] !== 'number')) {
        problems.push(`results[${i}].${key} is not a number or null`);
      }
    }
    if (
      typeof r.spread?.minMs !== 'number' ||
      r.spread.minMs > r.wallMs ||
      r.spread.maxMs < r.wallMs
    ) {
      problems.push(`results[${i}].spread does not hold its median`);
    }
  });
  return problems;
}

export function formatMatrix(matrix: Matrix): string {
  const rows = matrix.results.map((r) => [
    r.workload,
    `${r.strategy} (${r.example})`,
    formatMs(r.wallMs),
    r.repeats > 1 ? `${formatMs(r.spread.minMs)}-${formatMs(r.spread.maxMs)}` : '-',
    r.speedup === null ? '-' : `${r.speedup.toFixed(2)}x`,
    formatMs(r.idealMs),
    r.efficiency === null ? '-' : r.efficiency.toFixed(2),
  ]);
  const m = matrix.machine;
  return [
    `concurrency-lab matrix${matrix.quick ? ' (quick)' : ''}: ${m.cpuModel}, ${m.cpus} CPUs, ${m.memoryGb} GB, ${m.os}, Node ${m.node}${m.python ? `, ${m.python}` : ''}`,
    formatTable(
      ['workload', 'strategy (example)', 'time', 'spread', 'speedup', 'ideal', 'efficiency'],
      rows,
    ),
  ].join('\n');
}

const usage =
  "Usage: pnpm matrix [-- options]\nRuns every example's strategies and tabulates them; writes results/matrix.json.";
const spec = {
  quick: option.flag('a small version, in seconds'),
  only: option.choice('one workload', [...WORKLOADS, 'all'], 'all'),
  repeat: option.int('runs per cell (the median is shown)', { default: 3, min: 1, max: 50 }),
  withPython: option.flag("run the notes' Python originals too"),
  report: option.flag('write the HTML report afterwards'),
  json: option.flag('print the matrix as JSON instead of the table'),
  out: option.path('where to write matrix.json (default results/matrix.json)'),
};

if (import.meta.main) {
  runCli('matrix', async ({ signal }) => {
    const values = parseOptions(process.argv.slice(2), spec, usage);
    const repeats = values.quick ? 1 : values.repeat;
    const warmUps = values.quick ? 0 : 1;
    let python: string | null = null;
    let pythonVersion: string | null = null;
    const notes: string[] = [];
    if (values.withPython) {
      const found = findPython();
      python = found.python;
      pythonVersion = found.version;
      if (!python) notes.push(`python skipped: ${found.problem}`);
    }
    // Python downloads from a sites server of the matrix's own, with the same workload.
    const server = python
      ? await startSitesThread({ latencyMs: values.quick ? 50 : 100, bytes: 10 * 1024 })
      : null;
    try {
      const all = cells({
        quick: values.quick,
        withPython: python !== null,
        server: server?.origin,
      }).filter((cell) => values.only === 'all' || cell.workload === values.only);
      const runnable = all.filter((cell) => {
        if (existsSync(cell.file)) return true;
        notes.push(`skipped: ${cell.example} (${cell.language}) is not built: no ${cell.file}`);
        return false;
      });
      const progress = createProgress({
        total: runnable.length * (repeats + warmUps),
        label: 'runs',
        json: values.json,
      });
      const records: MatrixRecord[] = [];
      let failures = 0;
      for (const cell of runnable) {
        if (signal.aborted) break;
        try {
          for (let w = 0; w < warmUps; w++) {
            await runOnce(cell, python, signal);
            progress.tick();
          }
          const runs: Report[] = [];
          for (let r = 0; r < repeats; r++) {
            runs.push(await runOnce(cell, python, signal));
            progress.tick();
          }
          records.push(...fold(cell, runs));
        } catch (error) {
          if (signal.aborted) break;
          failures += 1;
          notes.push(`failed: ${(error as Error).message}`);
        }
      }
      progress.stop();
      const matrix: Matrix = {
        machine: machine(pythonVersion),
        quick: values.quick,
        results: withSpeedups(records),
      };
      const file = values.out
        ? resolve(process.env.INIT_CWD ?? process.cwd(), values.out)
        : join(resultsDir, 'matrix.json');
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${JSON.stringify(matrix, null, 2)}\n`);
      if (values.json) process.stdout.write(`${JSON.stringify(matrix)}\n`);
      else {
        console.log(formatMatrix(matrix));
        for (const note of notes) console.log(note);
        console.log(`wrote ${file}`);
      }
      if (values.report) {
        const page = writeReport(matrix, { file: join(dirname(file), 'report.html') });
        if (!values.json) console.log(`wrote ${page}`);
      }
      return failures > 0 ? 1 : 0;
    } finally {
      await server?.close();
    }
  });
}
