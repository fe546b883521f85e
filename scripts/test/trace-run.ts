// Runs an example as its start script does, with --json and --trace, for
// the trace tests: the run's records and its trace, from the same run.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFlags, type TraceEvent } from '@lab/harness';
import { repoRoot } from '../src/paths.ts';

export interface Traced {
  record: Record<string, unknown> & { wallMs: number; items: number };
  records: (Record<string, unknown> & { strategy: string; wallMs: number; items: number })[];
  events: TraceEvent[];
}

/** A fresh folder for each test file that imports this: no two files share one. */
export const traceDir = mkdtempSync(join(tmpdir(), 'traces-'));

export function run(command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      command,
      args,
      { cwd, timeout: 120_000, maxBuffer: 1 << 26 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
    ),
  );
}

let runs = 0;

/** An example's main.ts as its start script runs it, with --json and --trace. */
export async function traced(example: string, flags: string): Promise<Traced> {
  const args = flags.split(' ').filter(Boolean);
  const folder = join(repoRoot, 'examples', example);
  runs += 1;
  const file = join(traceDir, `${example}-${runs}.json`);
  const stdout = await run(
    process.execPath,
    [...startFlags(folder), join(folder, 'src', 'main.ts'), ...args, '--json', '--trace', file],
    folder,
  );
  const { results } = JSON.parse(stdout);
  return {
    record: results[0],
    records: results,
    events: JSON.parse(readFileSync(file, 'utf8')).traceEvents,
  };
}

/** The names the trace gives its tracks (M events), in order. */
export const named = (events: TraceEvent[]) =>
  events.filter((e) => e.ph === 'M').map((e) => e.args?.name);

/** The events between a run's slice's begin and end (the timed part of one strategy). */
export function within(events: TraceEvent[], strategy: string): TraceEvent[] {
  const [begin, end] = events.filter((e) => e.cat === 'run' && e.name === strategy);
  if (!begin || !end) throw new Error(`the trace has no run ${strategy}`);
  return events.filter((e) => e.ts !== undefined && e.ts >= begin.ts! && e.ts <= end.ts!);
}
