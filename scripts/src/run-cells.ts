// The matrix's runs: every cell that can run here, each its warm-ups and
// then its repeats, one at a time, with a progress line naming the run in
// progress; the sites servers the cells name are started first and closed
// after. A cell that fails is a note, and the rest still run; Ctrl-C stops
// the running program and everything it started, and the rest do not run.
import { basename } from 'node:path';
import { createProgress, type Report } from '@lab/harness';
import { type SitesServer, startSitesThread } from '@lab/sites';
import { runCell } from './cell-run.ts';
import { type Cell, SERVER } from './cells.ts';
import { fold } from './fold.ts';
import type { MatrixRecord } from './types.ts';

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

/** A cell as the progress line names it: its program and its arguments, the server's origin left out. */
const cellName = (cell: Cell) =>
  `${cell.language === 'python' ? basename(cell.file) : cell.example} ${cell.args
    .filter((a, i, all) => a !== '--server' && all[i - 1] !== '--server')
    .join(' ')}`;

export interface RunsOptions {
  repeats: number;
  warmUps: number;
  /** The python3 for the Python cells. */
  python: string | null;
  signal: AbortSignal;
  json: boolean;
}

export interface Runs {
  /** One record per strategy of each cell that ran: the median run's, with the spread. */
  records: MatrixRecord[];
  /** Cells that ran to the end, of `cellCount`. */
  ran: number;
  cellCount: number;
  failures: number;
  /** A line for each cell that failed, saying why. */
  notes: string[];
}

export async function runCells(runnable: Cell[], options: RunsOptions): Promise<Runs> {
  const { python, signal, json } = options;
  const servers = new Map<string, SitesServer>();
  const serverOf = (cell: Cell) => servers.get(JSON.stringify(cell.sitesServer)) ?? null;
  const records: MatrixRecord[] = [];
  const notes: string[] = [];
  let failures = 0;
  let ran = 0;
  try {
    // Python downloads from a sites server of the matrix's own, with the same
    // workload; the cells name it by a placeholder until it has started.
    for (const cell of runnable) {
      const key = JSON.stringify(cell.sitesServer);
      if (cell.sitesServer && !servers.has(key)) {
        servers.set(key, await startSitesThread(cell.sitesServer));
      }
    }
    const toRun = runnable.map((cell) => {
      const server = serverOf(cell);
      return server
        ? { ...cell, args: cell.args.map((a) => (a === SERVER ? server.origin : a)) }
        : cell;
    });
    // A cell that measures itself (a sweep) runs once, without a warm-up.
    const runsOf = (cell: Cell) =>
      cell.once
        ? { repeats: 1, warmUps: 0 }
        : { repeats: options.repeats, warmUps: options.warmUps };
    const total = toRun.reduce((sum, cell) => sum + runsOf(cell).repeats + runsOf(cell).warmUps, 0);
    const progress = cellProgress(total, json);
    try {
      for (const cell of toRun) {
        if (signal.aborted) break;
        const name = cellName(cell);
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
    } finally {
      progress.stop();
    }
  } finally {
    for (const server of servers.values()) await server.close();
  }
  return { records, ran, cellCount: runnable.length, failures, notes };
}
