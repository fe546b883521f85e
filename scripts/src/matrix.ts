// pnpm matrix: every strategy of every example, run through the examples' own
// main.ts (and, with --with-python, the notes' Python originals), each cell
// the median of --repeat runs after a warm-up. Prints one table and writes
// results/matrix.json: {"machine": {...}, "results": [record, ...]}.
// What runs comes from each example's manifest (cells.ts); each concern has
// a file of its own: the runs (cell-run.ts), folding them (fold.ts), the
// speedups (speedups.ts), merging with an earlier matrix (merge.ts), the
// table (format-matrix.ts).
//
//   pnpm matrix                 the full matrix (a few minutes)
//   pnpm matrix -- --quick      a small version, in seconds (what CI runs)
//   pnpm matrix -- --only cpu   one workload (pnpm matrix -- --help lists them)
//   pnpm matrix -- --with-python --report
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  createProgress,
  findPython,
  option,
  parseOptions,
  type Report,
  runCli,
  UsageError,
} from '@lab/harness';
import { type SitesServer, startSitesThread } from '@lab/sites';
import { runCell } from './cell-run.ts';
import { type Cell, cells, SERVER, workloadIds } from './cells.ts';
import { fold, sortRecords } from './fold.ts';
import { formatMatrix } from './format-matrix.ts';
import { pythonModules } from './lab.ts';
import { machine } from './machine.ts';
import { mergeMatrix, readMatrix } from './merge.ts';
import { fromHere, resultsDir, shown } from './paths.ts';
import { planCells } from './plan.ts';
import { writeReport } from './report.ts';
import { withSpeedups } from './speedups.ts';
import type { Matrix, MatrixRecord } from './types.ts';

/**
 * The harness's progress bar, naming the run in progress: drawn again for
 * each run, with the count of runs done so far, so that a five-minute matrix
 * never looks stuck.
 */
function cellProgress(total: number, json: boolean) {
  let done = 0;
  let bar = createProgress({ total, label: 'runs', json, delayMs: 0 });
  return {
    now(what: string) {
      bar.stop();
      bar = createProgress({ total, label: `runs · ${what}`, json, delayMs: 0 });
      bar.tick(done);
    },
    tick() {
      done += 1;
      bar.tick();
    },
    stop: () => bar.stop(),
  };
}

/** The sites servers the cells name, one for each setting, started before any cell runs. */
async function startServers(toRun: Cell[]) {
  const servers = new Map<string, SitesServer>();
  for (const cell of toRun) {
    const key = JSON.stringify(cell.sitesServer);
    if (cell.sitesServer && !servers.has(key)) {
      servers.set(key, await startSitesThread(cell.sitesServer));
    }
  }
  return servers;
}

const usage =
  "Usage: pnpm matrix [-- options]\nRuns every example's strategies and tabulates them; writes results/matrix.json.";
/** The options; a function, since --only's choices come from the manifests, read inside runCli. */
const spec = () => ({
  quick: option.flag('a small version, in seconds'),
  only: option.choice(
    'one workload, merged into the matrix already in the --out file',
    [...workloadIds(), 'all'],
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
});

if (import.meta.main) {
  runCli('matrix', async ({ signal }) => {
    const values = parseOptions(process.argv.slice(2), spec(), usage);
    if (values.python && !values.withPython) {
      throw new UsageError('--python chooses the Python for --with-python; add --with-python');
    }
    const repeats = values.quick ? 1 : values.repeat;
    const warmUps = values.quick ? 0 : 1;
    const notes: string[] = [];
    // A --python with a slash is a path from where the reader stands; a bare name is looked up on the PATH.
    const pythonArg = values.python.includes('/') ? fromHere(values.python) : values.python;
    const found = values.withPython
      ? findPython(pythonModules(), pythonArg ? [pythonArg] : undefined)
      : null;
    const python = found?.python ?? null;
    if (found?.problem) notes.push(`python: ${found.problem}`);
    const wanted = cells({ quick: values.quick, withPython: values.withPython }).filter(
      (cell) => values.only === 'all' || cell.workload === values.only,
    );
    const { runnable, skipped } = planCells(wanted, found);
    notes.push(...skipped);
    // Python downloads from a sites server of the matrix's own, with the same
    // workload; the cells name it by a placeholder until it has started.
    const servers = await startServers(runnable);
    const serverOf = (cell: Cell) => servers.get(JSON.stringify(cell.sitesServer)) ?? null;
    const toRun = runnable.map((cell) => {
      const server = serverOf(cell);
      return server
        ? { ...cell, args: cell.args.map((a) => (a === SERVER ? server.origin : a)) }
        : cell;
    });
    try {
      // A cell that measures itself (a sweep) runs once, without a warm-up.
      const runsOf = (cell: Cell) =>
        cell.once ? { repeats: 1, warmUps: 0 } : { repeats, warmUps };
      const total = toRun.reduce(
        (sum, cell) => sum + runsOf(cell).repeats + runsOf(cell).warmUps,
        0,
      );
      const progress = cellProgress(total, values.json);
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
            await runCell(cell, python, signal, serverOf(cell));
            progress.tick();
          }
          const runs: Report[] = [];
          for (let r = 0; r < repeats; r++) {
            progress.now(`${name} (run ${r + 1} of ${repeats})`);
            runs.push(await runCell(cell, python, signal, serverOf(cell)));
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
          workloads: [values.only],
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
      for (const server of servers.values()) await server.close();
    }
  });
}
