// pnpm matrix: every strategy of every example, run through the examples' own
// main.ts (and, with --with-python, the notes' Python originals), each cell
// the median of --repeat runs after a warm-up. Prints one table and writes
// results/matrix.json: {"machine": {...}, "results": [record, ...]}.
//
//   pnpm matrix                 the full matrix (a few minutes)
//   pnpm matrix -- --quick      a small version, in seconds (what CI runs)
//   pnpm matrix -- --only cpu   one workload: io, cpu, race, loop, basics, timeouts, throughput, serve
//   pnpm matrix -- --with-python --report
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, release, totalmem, type } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import {
  cpuIdeal,
  efficiency,
  formatMs,
  formatTable,
  option,
  parseOptions,
  type Report,
  type ResultRecord,
  runCli,
  UsageError,
} from '@lab/harness';
import { type SitesServer, startSitesThread } from '@lab/sites';
import { BASELINE, type Cell, cells, SERVER, WORKLOADS, type Workload } from './cells.ts';
import { faster, nodeAgainstPython, speedupShortfall } from './lessons.ts';
import { outcome } from './outcome.ts';
import { fromHere, repoRoot, resultsDir, shown } from './paths.ts';
import { createCellProgress } from './progress.ts';
import { findPython, type PythonCheck } from './python.ts';
import { writeReport } from './report.ts';
import { checkMatrix, type Machine, type Matrix, type MatrixRecord } from './types.ts';

export type { Machine, Matrix, MatrixRecord } from './types.ts';
export { checkMatrix } from './types.ts';

/** The longest one run may take before the matrix gives up on it. */
const RUN_TIMEOUT_MS = 15 * 60_000;

/**
 * Run one program once; resolve with its report (or an error saying why not).
 * Each program runs in a process group of its own, so that stopping it (on
 * Ctrl-C, or when it overruns) stops whatever it started too: a Python
 * multiprocessing.Pool's workers outlive a parent killed by a signal.
 */
function runOnce(cell: Cell, python: string | null, signal: AbortSignal): Promise<Report> {
  const [command, args] =
    cell.language === 'node'
      ? [process.execPath, [...(cell.nodeFlags ?? []), cell.file, '--json', ...cell.args]]
      : [python ?? 'python3', [cell.file, '--json', ...cell.args]];
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const child = spawn(command, args, {
      env: {
        ...process.env,
        PYTHONPATH: join(import.meta.dirname, '..', 'python'),
        PYTHONDONTWRITEBYTECODE: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stopped: string | null = null;
    let hardStop: NodeJS.Timeout | undefined;
    const stop = (why: string) => {
      stopped ??= why;
      const group = (sig: NodeJS.Signals) => {
        try {
          if (child.pid) process.kill(-child.pid, sig);
        } catch {
          // The group has already gone.
        }
      };
      group('SIGTERM');
      hardStop = setTimeout(() => group('SIGKILL'), 3000);
    };
    const onAbort = () => stop('interrupted');
    signal.addEventListener('abort', onAbort, { once: true });
    const overrun = setTimeout(
      () => stop(`took longer than ${RUN_TIMEOUT_MS / 60_000} minutes`),
      RUN_TIMEOUT_MS,
    );
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
      signal.removeEventListener('abort', onAbort);
      clearTimeout(overrun);
      clearTimeout(hardStop);
      if (stopped) return reject(new Error(`${cell.example} (${cell.language}) ${stopped}`));
      try {
        resolve(asReport(JSON.parse(stdout)));
      } catch {
        const why = stderr.trim().split('\n').at(-1) || `exit code ${code}`;
        reject(new Error(`${cell.example} (${cell.language}) printed no report: ${why}`));
      }
    });
  });
}

/**
 * What a program printed, as the harness's report. The examples print one
 * already; the throughput benchmark prints `{example, records}`, records of
 * its own (requests per second; Python's and wrk's rows among Node's), read
 * here as harness records that keep their language.
 */
export function asReport(value: unknown): Report {
  const printed = value as Partial<Report> & { records?: Record<string, unknown>[] };
  if (Array.isArray(printed.results)) return printed as Report;
  if (!Array.isArray(printed.records)) throw new Error('no results');
  return {
    example: String(printed.example),
    node: process.version,
    cpus: availableParallelism(),
    results: printed.records.map((r) => ({
      failed: 0,
      bytes: 0,
      idealMs: null,
      efficiency: null,
      speedup: null,
      node: process.version,
      cpus: availableParallelism(),
      ...r,
    })) as ResultRecord[],
  };
}

/**
 * A Python download run, watched from the matrix's own sites server: the
 * Python originals cannot see the server's counters, so the matrix adds the
 * peak in flight and the connections opened to their records, as the Node
 * examples report them.
 */
async function runWatched(
  cell: Cell,
  python: string | null,
  signal: AbortSignal,
  server: SitesServer | null,
): Promise<Report> {
  if (!server || cell.language !== 'python' || cell.workload !== 'io') {
    return runOnce(cell, python, signal);
  }
  await server.resetStats();
  const report = await runOnce(cell, python, signal);
  const { peakInFlight, connections } = await server.stats();
  return { ...report, results: report.results.map((r) => ({ ...r, peakInFlight, connections })) };
}

/**
 * Which cells can run here, and a line for each that cannot: an example not
 * built yet, no Python, or a Python without the library an original imports.
 */
export function planCells(
  wanted: Cell[],
  found: PythonCheck | null,
  exists: (file: string) => boolean = existsSync,
): { runnable: Cell[]; skipped: string[] } {
  const skipped = new Set<string>();
  const runnable = wanted.filter((cell) => {
    const name = basename(cell.file);
    if (!exists(cell.file)) {
      skipped.add(
        cell.language === 'node'
          ? `skipped: ${cell.example} not built (no ${relative(repoRoot, cell.file)})`
          : `skipped: ${name} not written (no ${relative(repoRoot, cell.file)})`,
      );
    } else if (cell.language === 'python' && !found?.python) {
      skipped.add(`skipped: ${name} (no Python to run it)`);
    } else if (cell.needs?.some((library) => found?.missing.includes(library))) {
      skipped.add(
        `skipped: ${name} needs ${cell.needs.join(' and ')}, which ${found?.python} lacks`,
      );
    } else return true;
    return false;
  });
  return { runnable, skipped: [...skipped] };
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
    const own = middle.language;
    return {
      ...middle,
      workload: cell.workload,
      // A record that names its language (the throughput benchmark's Python and wrk rows) keeps it.
      language: own === 'python' || own === 'wrk' ? own : cell.language,
      repeats: records.length,
      spread: { minMs: Math.min(...times), maxMs: Math.max(...times) },
    };
  });
}

/** Workloads in their reading order; within one, Node's rows first, then Python's. */
export function sortRecords(records: MatrixRecord[]): MatrixRecord[] {
  const rank = (r: MatrixRecord) =>
    WORKLOADS.indexOf(r.workload) * 3 +
    (r.language === 'python' ? 1 : r.language === 'wrk' ? 2 : 0);
  return records
    .map((r, i) => ({ r, i }))
    .sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i)
    .map(({ r }) => r);
}

/**
 * Python's download strategies and the Node strategy with the same model: the
 * same sites at the same latency, one at a time, five at once (the notes'
 * max_workers=5, pool-download's default), or all at once (aiohttp's and
 * async-download's limit of 100 connections).
 */
const SAME_IO_MODEL: Record<string, string> = {
  'python-sequential': 'sequential',
  'python-threads': 'pool-tasks',
  'python-asyncio': 'all-at-once',
};

const round3 = (value: number) => Math.round(value * 1000) / 1000;

/**
 * Speedups measured in this matrix, each against its own language's baseline
 * run of the same workload (python-sequential for Python), so each row says
 * what that kind of concurrency buys in that language: the time column
 * compares the languages. Python's rows get the same ideal models as Node's.
 */
export function withSpeedups(
  records: MatrixRecord[],
  cores = availableParallelism(),
): MatrixRecord[] {
  const find = (workload: Workload, language: MatrixRecord['language'], strategy: string) =>
    records.find(
      (r) => r.workload === workload && r.language === language && r.strategy === strategy,
    );
  return records.map((record) => {
    const name = BASELINE[record.workload];
    const baseline =
      name === null
        ? undefined
        : find(
            record.workload,
            record.language,
            record.language === 'python' ? `python-${name}` : name,
          );
    const speedup = baseline ? round3(baseline.wallMs / record.wallMs) : null;
    let idealMs = record.idealMs;
    if ((record.workload === 'cpu' || record.workload === 'loop') && baseline) {
      // The CPU models, from this matrix's own baseline (the median run's),
      // not from whichever run's baseline the median record came with: the
      // sequential time spread over as many workers as there are cores.
      const workers = typeof record.workers === 'number' ? record.workers : 1;
      idealMs = round3(cpuIdeal(baseline.wallMs, workers, cores));
    } else if (record.language === 'python' && record.workload === 'io') {
      const twin = SAME_IO_MODEL[record.strategy];
      idealMs = twin ? (find('io', 'node', twin)?.idealMs ?? null) : null;
    }
    const eff = efficiency(idealMs, record.wallMs);
    return { ...record, idealMs, efficiency: eff === null ? null : round3(eff), speedup };
  });
}

/**
 * An `--only` run's records merged into the matrix already on disk, so that
 * one workload run again does not leave the others out of the file (and of
 * the report drawn from it). The new records replace the old ones of each
 * workload that ran (the Python rows too when this run was asked for Python;
 * otherwise only where it printed the same row again), and everything else is
 * kept. A matrix from another machine or the other size (--quick or not) is
 * not merged with: the new one replaces it, and `replaced` says why.
 */
export function mergeMatrix(
  earlier: Matrix | null,
  fresh: Matrix,
  ran: { workloads: readonly Workload[]; withPython: boolean },
): { matrix: Matrix; kept: number; replaced: string | null } {
  if (!earlier) return { matrix: fresh, kept: 0, replaced: null };
  const other =
    earlier.quick !== fresh.quick
      ? `it was ${earlier.quick ? 'a --quick' : 'a full'} matrix`
      : earlier.machine.cpuModel !== fresh.machine.cpuModel ||
          earlier.machine.cpus !== fresh.machine.cpus
        ? 'it came from another machine'
        : null;
  if (other) return { matrix: fresh, kept: 0, replaced: other };
  const key = (r: MatrixRecord) => `${r.workload}\0${r.language}\0${r.example}\0${r.strategy}`;
  const printedAgain = new Set(fresh.results.map(key));
  const kept = earlier.results.filter(
    (r) =>
      !printedAgain.has(key(r)) &&
      !(ran.workloads.includes(r.workload) && (r.language !== 'python' || ran.withPython)),
  );
  const keptPython = kept.some((r) => r.language === 'python');
  return {
    matrix: {
      machine: {
        ...fresh.machine,
        python: fresh.machine.python ?? (keptPython ? earlier.machine.python : null),
      },
      quick: fresh.quick,
      results: withSpeedups(sortRecords([...kept, ...fresh.results])),
    },
    kept: kept.length,
    replaced: null,
  };
}

/** The matrix in `file`, or null when there is none (or it is not one). */
export function readMatrix(file: string): Matrix | null {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8'));
    return checkMatrix(value).length === 0 ? (value as Matrix) : null;
  } catch {
    return null;
  }
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

export function formatMatrix(matrix: Matrix): string {
  const shortfalls = new Map(
    matrix.results.map((r) => [r, speedupShortfall(r, matrix.results)] as const),
  );
  // The model's predicted speedup, in a column of its own, only when some record carries one.
  const predicted = matrix.results.some((r) => typeof r.predictedSpeedup === 'number');
  const rows = matrix.results.map((r) => [
    r.workload,
    `${r.strategy} (${r.example})`,
    formatMs(r.wallMs),
    r.repeats > 1 ? `${formatMs(r.spread.minMs)}-${formatMs(r.spread.maxMs)}` : '-',
    r.speedup === null ? '-' : `${r.speedup.toFixed(2)}x${shortfalls.get(r) ? ' !' : ''}`,
    ...(predicted
      ? [typeof r.predictedSpeedup === 'number' ? `${r.predictedSpeedup.toFixed(2)}x` : '-']
      : []),
    formatMs(r.idealMs),
    r.efficiency === null ? '-' : r.efficiency.toFixed(2),
    outcome(r),
  ]);
  // The result column only when some run has one (the say_after runs alone have none).
  const results = rows.some((row) => row.at(-1) !== '');
  const m = matrix.machine;
  const lines = [
    `concurrency-lab matrix${matrix.quick ? ' (quick)' : ''}: ${m.cpuModel}, ${m.cpus} CPUs, ${m.memoryGb} GB, ${m.os}, Node ${m.node}${m.python ? `, ${m.python}` : ''}`,
    formatTable(
      [
        'workload',
        'strategy (example)',
        'time',
        'spread',
        'speedup',
        ...(predicted ? ['predicted'] : []),
        'ideal',
        'efficiency',
        ...(results ? ['result'] : []),
      ],
      results ? rows : rows.map((row) => row.slice(0, -1)),
    ),
    "  speedup: against the same language's own sequential (or blocking) run of that workload",
  ];
  // A speedup that falls short of the lesson is marked `!` and explained, never left to read as the lesson reversed.
  for (const [r, why] of shortfalls) {
    if (why) lines.push(`  ! ${r.workload} ${r.strategy} (${r.example}): ${why}`);
  }
  // serve's rows are rates, each against its own model (Little's law): a row well below it is named.
  for (const r of matrix.results) {
    if (r.workload === 'serve' && typeof r.vsModel === 'number' && r.vsModel < 0.8) {
      lines.push(
        `  ! serve ${r.strategy}: ${r.reqPerSec} req/s, ${r.vsModel.toFixed(2)} of its model (${r.modelBound})`,
      );
    }
  }
  const pairs = nodeAgainstPython(matrix.results);
  if (pairs.length > 0) {
    lines.push(
      '',
      'Node against Python, the same job (Python time / Node time):',
      formatTable(
        ['workload', 'node', 'python', 'node time', 'python time', 'ratio'],
        pairs.map((p) => [
          p.workload,
          `${p.node.strategy} (${p.node.example})`,
          p.python.strategy,
          formatMs(p.node.wallMs),
          formatMs(p.python.wallMs),
          faster(p.ratio),
        ]),
      ),
    );
  }
  return lines.join('\n');
}

const usage =
  "Usage: pnpm matrix [-- options]\nRuns every example's strategies and tabulates them; writes results/matrix.json.";
const spec = {
  quick: option.flag('a small version, in seconds'),
  only: option.choice(
    'one workload, merged into the matrix already in the --out file',
    [...WORKLOADS, 'all'],
    'all',
  ),
  // The full matrix takes about 5 minutes at 3: at most about 15 at 10.
  repeat: option.int('runs per cell (the median is shown; 3 take about 5 minutes)', {
    default: 3,
    min: 1,
    max: 10,
  }),
  withPython: option.flag("run the notes' Python originals too"),
  python: option.path(
    'the python3 for --with-python (default /usr/bin/python3, then python3 on the PATH)',
  ),
  report: option.flag('write the HTML report afterwards'),
  json: option.flag('print the matrix as JSON instead of the table'),
  out: option.path('where to write matrix.json (default results/matrix.json)'),
};

if (import.meta.main) {
  runCli('matrix', async ({ signal }) => {
    const values = parseOptions(process.argv.slice(2), spec, usage);
    if (values.python && !values.withPython) {
      throw new UsageError('--python chooses the Python for --with-python; add --with-python');
    }
    const repeats = values.quick ? 1 : values.repeat;
    const warmUps = values.quick ? 0 : 1;
    const notes: string[] = [];
    // A --python with a slash is a path from where the reader stands; a bare name is looked up on the PATH.
    const pythonArg = values.python.includes('/') ? fromHere(values.python) : values.python;
    const found = values.withPython ? findPython(pythonArg ? [pythonArg] : undefined) : null;
    const python = found?.python ?? null;
    if (found?.problem) notes.push(`python: ${found.problem}`);
    const wanted = cells({ quick: values.quick, withPython: values.withPython }).filter(
      (cell) => values.only === 'all' || cell.workload === values.only,
    );
    const { runnable, skipped } = planCells(wanted, found);
    notes.push(...skipped);
    // Python downloads from a sites server of the matrix's own, with the same workload.
    const downloads = runnable.some((cell) => cell.language === 'python' && cell.workload === 'io');
    const server = downloads
      ? await startSitesThread({ latencyMs: values.quick ? 50 : 100, bytes: 10 * 1024 })
      : null;
    // The Python cells name the server by a placeholder until it has started.
    const toRun = runnable.map((cell) => ({
      ...cell,
      args: cell.args.map((arg) => (arg === SERVER && server ? server.origin : arg)),
    }));
    try {
      // A cell that measures itself (serve) runs once, without a warm-up.
      const runsOf = (cell: Cell) =>
        cell.once ? { repeats: 1, warmUps: 0 } : { repeats, warmUps };
      const total = toRun.reduce(
        (sum, cell) => sum + runsOf(cell).repeats + runsOf(cell).warmUps,
        0,
      );
      const progress = createCellProgress(total, values.json);
      const records: MatrixRecord[] = [];
      let failures = 0;
      let ran = 0;
      for (const cell of toRun) {
        if (signal.aborted) break;
        const name = `${cell.language === 'python' ? basename(cell.file) : cell.example} ${cell.args.filter((a, i, all) => a !== '--server' && all[i - 1] !== '--server').join(' ')}`;
        const { repeats, warmUps } = runsOf(cell);
        try {
          for (let w = 0; w < warmUps; w++) {
            progress.now(`${name} (warm-up)`);
            await runWatched(cell, python, signal, server);
            progress.tick();
          }
          const runs: Report[] = [];
          for (let r = 0; r < repeats; r++) {
            progress.now(`${name} (run ${r + 1} of ${repeats})`);
            runs.push(await runWatched(cell, python, signal, server));
            progress.tick();
          }
          records.push(...fold(cell, runs));
          ran += 1;
        } catch (error) {
          if (signal.aborted) break;
          failures += 1;
          notes.push(`failed: ${(error as Error).message}`);
        }
      }
      progress.stop();
      const file = values.out ? fromHere(values.out) : join(resultsDir, 'matrix.json');
      let matrix: Matrix = {
        machine: machine(found?.version ?? null),
        quick: values.quick,
        results: withSpeedups(sortRecords(records)),
      };
      // One workload run again joins the others already in the file.
      if (values.only !== 'all' && records.length > 0 && !signal.aborted) {
        const merged = mergeMatrix(readMatrix(file), matrix, {
          workloads: [values.only as Workload],
          withPython: values.withPython,
        });
        matrix = merged.matrix;
        if (merged.kept > 0) {
          notes.push(
            `merged: the ${values.only} rows replace their earlier ones in ${shown(file)}; ${merged.kept} rows of other workloads kept`,
          );
        }
        if (merged.replaced) notes.push(`replaced ${shown(file)}: ${merged.replaced}`);
      }
      // A matrix cut short (Ctrl-C) or empty never replaces a whole one from an earlier run.
      const write = !signal.aborted && records.length > 0;
      if (signal.aborted) {
        notes.push(
          `interrupted: ${ran} of ${toRun.length} cells ran; ${shown(file)} left as it was`,
        );
      } else if (records.length === 0) notes.push('nothing ran; no matrix written');
      if (write) {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, `${JSON.stringify(matrix, null, 2)}\n`);
      }
      if (values.json) process.stdout.write(`${JSON.stringify(matrix)}\n`);
      else {
        // With --only, the table shows that workload; the file (and the report) all of them.
        const shownRows = matrix.results.filter(
          (r) => values.only === 'all' || r.workload === values.only,
        );
        if (records.length > 0) console.log(formatMatrix({ ...matrix, results: shownRows }));
        for (const note of notes) console.log(note);
        if (write) console.log(`wrote ${shown(file)}`);
      }
      if (values.report && write) {
        const page = await writeReport(matrix, { file: join(dirname(file), 'report.html') });
        if (!values.json) console.log(`wrote ${shown(page)}`);
      }
      return failures > 0 || records.length === 0 ? 1 : 0;
    } finally {
      await server?.close();
    }
  });
}
