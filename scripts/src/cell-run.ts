// One run of one matrix cell: its program, through the lab's process runner,
// and what it printed read as the harness's report. A Python download run is
// watched from the matrix's own sites server, since the originals cannot see
// the server's counters.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Report, ResultRecord } from '@lab/harness';
import type { SitesServer } from '@lab/sites';
import type { Cell } from './cells.ts';
import { lastWords, runProgram } from './run.ts';

/** The longest one run may take before the matrix stops it. */
const RUN_TIMEOUT_MS = 15 * 60_000;

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

/** Run a cell's program once; resolve with its report, or reject saying why there is none. */
async function runOnce(cell: Cell, python: string | null, signal: AbortSignal): Promise<Report> {
  const [command, args] =
    cell.language === 'node'
      ? [process.execPath, [...(cell.nodeFlags ?? []), cell.file, '--json', ...cell.args]]
      : [python ?? 'python3', [cell.file, '--json', ...cell.args]];
  const run = await runProgram(command, args, {
    env: {
      ...process.env,
      PYTHONPATH: join(import.meta.dirname, '..', 'python'),
      PYTHONDONTWRITEBYTECODE: '1',
    },
    signal,
    timeoutMs: RUN_TIMEOUT_MS,
  });
  if (run.stopped) throw new Error(`${cell.example} (${cell.language}) ${run.stopped}`);
  try {
    return asReport(JSON.parse(run.stdout));
  } catch {
    throw new Error(`${cell.example} (${cell.language}) printed no report: ${lastWords(run)}`);
  }
}

/**
 * One run of a cell. A Python run against the matrix's sites server is
 * watched from it: the matrix adds the peak in flight and the connections
 * opened to its records, as the Node examples report them.
 */
export async function runCell(
  cell: Cell,
  python: string | null,
  signal: AbortSignal,
  server: SitesServer | null,
): Promise<Report> {
  if (!server || cell.language !== 'python' || !cell.sitesServer) {
    return runOnce(cell, python, signal);
  }
  await server.resetStats();
  const report = await runOnce(cell, python, signal);
  const { peakInFlight, connections } = await server.stats();
  return { ...report, results: report.results.map((r) => ({ ...r, peakInFlight, connections })) };
}
