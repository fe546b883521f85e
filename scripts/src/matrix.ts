// pnpm matrix: every strategy of every example, run through the examples' own
// main.ts (and, with --with-python, the notes' Python originals), each cell
// the median of --repeat runs after a warm-up. Prints one table and writes
// results/matrix.json: {"machine": {...}, "results": [record, ...]}.
// What runs comes from each example's manifest (cells.ts); each concern has
// a file of its own: what can run here (plan.ts), running the cells
// (run-cells.ts, cell-run.ts, run.ts), folding their runs (fold.ts), the
// speedups (speedups.ts), merging with an earlier matrix (merge.ts), the
// table (format-matrix.ts). This file is the command.
//
//   pnpm matrix                 the full matrix (a few minutes)
//   pnpm matrix -- --quick      a small version, in seconds (what CI runs)
//   pnpm matrix -- --only cpu   one workload (pnpm matrix -- --help lists them)
//   pnpm matrix -- --with-python --report
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { findPython, option, parseOptions, runCli, UsageError } from '@lab/harness';
import { cells, workloadIds } from './cells.ts';
import { sortRecords } from './fold.ts';
import { formatMatrix } from './format-matrix.ts';
import { pythonModules } from './lab.ts';
import { machine } from './machine.ts';
import { mergeMatrix, readMatrix } from './merge.ts';
import { fromHere, resultsDir, shown } from './paths.ts';
import { planCells } from './plan.ts';
import { writeReport } from './report.ts';
import { runCells } from './run-cells.ts';
import { withSpeedups } from './speedups.ts';
import type { Matrix } from './types.ts';

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
    const notes: string[] = [];
    // A --python with a slash is a path from where the reader stands; a bare name is looked up on the PATH.
    const pythonArg = values.python.includes('/') ? fromHere(values.python) : values.python;
    const found = values.withPython
      ? findPython(pythonModules(), pythonArg ? [pythonArg] : undefined)
      : null;
    if (found?.problem) notes.push(`python: ${found.problem}`);
    const wanted = cells({ quick: values.quick, withPython: values.withPython }).filter(
      (cell) => values.only === 'all' || cell.workload === values.only,
    );
    const { runnable, skipped } = planCells(wanted, found);
    notes.push(...skipped);
    const { records, ran, cellCount, failures, ...runs } = await runCells(runnable, {
      repeats: values.quick ? 1 : values.repeat,
      warmUps: values.quick ? 0 : 1,
      python: found?.python ?? null,
      signal,
      json: values.json,
    });
    notes.push(...runs.notes);
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
      notes.push(`interrupted: ${ran} of ${cellCount} cells ran; ${shown(file)} left as it was`);
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
  });
}
