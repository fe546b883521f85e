// runExample: the loop every example runs, so its main.ts is one call.
//
// An example declares what it is (name, about), its options and its
// strategies; the harness does the rest, the same way for every example:
//   - parses the options, adds --json and --trace, and builds --help (and,
//     with --json, the spec as data) from the spec;
//   - watches from outside while the strategies run (observe.ts): with
//     --trace FILE, or for the lab page, every event becomes a trace;
//   - prints the heading (not with --json), then runs the strategies in
//     order, each timed (wallMs) by the harness;
//   - on Ctrl-C stops the run in flight, skips the rest, prints the records
//     done so far with the note "interrupted: N of M runs done." and exits 130;
//   - prints the report (a summary, a table, or one JSON object with --json);
//   - exits 0, or what exitCode says (e.g. 1 when a fix lost an update).
// Bad input (a UsageError from the spec or from `check`) is one line, exit 2:
// that, and every other failure being one line, is runCli's (cli.ts).
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { runCli } from './cli.ts';
import { noteMembers, observeAll } from './observe.ts';
import { type OptionSpec, type OptionValues, option, parseOptions, UsageError } from './options.ts';
import { type Measurement, makeReport, type Report } from './record.ts';
import { printReport, type SummaryOptions } from './summary.ts';
import { timed } from './timing.ts';
import { liveStream, mainTrack, nowUs, Trace } from './trace.ts';

const STOPPED = Symbol('stopped before the first run');
const commonOptions = {
  json: option.flag('print one JSON object instead of the summary'),
  trace: option.path(
    'write the run as a trace (Trace Event Format) to FILE, for ui.perfetto.dev or chrome://tracing',
  ),
};

/** The parsed options: the example's own, `json` and `trace`. */
export type ExampleValues<S extends OptionSpec> = OptionValues<S & typeof commonOptions>;

export interface RunContext {
  /** Aborted on Ctrl-C: stop what is in flight (reject or return early). */
  signal: AbortSignal;
  /** Print a line now, in the human output; with --json it prints nothing. */
  log(line: string): void;
  /** The measurements of the runs before this one, in order. */
  done: readonly Measurement[];
}

/** What a run gives back: its record's fields. The harness adds `strategy` and `wallMs`. */
export interface Outcome {
  items: number;
  failed?: number;
  bytes?: number;
  idealMs?: number | null;
  [field: string]: unknown;
}

export interface Strategy {
  /** The record's `strategy`. */
  name: string;
  /** Untimed, just before the clock starts: e.g. connections opened ahead, a server's counters reset. */
  before?(context: RunContext): Promise<void>;
  /** The timed part: what the record's wallMs measures. */
  run(context: RunContext): Promise<Outcome>;
  /**
   * Untimed, once the clock has stopped (after Ctrl-C too, when `run`
   * returned early): the record's fields measured after the run, e.g. a
   * server's counters. Gets what `run` returned, with its wallMs.
   */
  after?(outcome: Outcome & { wallMs: number }, context: RunContext): Promise<Outcome>;
}

export interface Example<S extends OptionSpec, P = undefined> {
  /** The package name: the summary's title, the prefix of every error line. */
  name: string;
  /** One line under the usage line of --help: what the program does. */
  about: string;
  /** The usage line; by default `Usage: pnpm --filter <name> start [-- options]`. */
  usage?: string;
  /** The example's options (option.int, option.choice, ...); --json and --help are added. */
  options: S;
  /** Checks across options, after each has been parsed; throw a UsageError. */
  check?(values: ExampleValues<S>): void;
  /**
   * Work before any clock, whose result the other hooks are given: sizing
   * the job on this machine, a warm pool. If it is AsyncDisposable, the
   * harness disposes of it after the runs, whatever happened.
   */
  prepare?(values: ExampleValues<S>, context: Omit<RunContext, 'done'>): Promise<P>;
  /** The runs, in order. */
  strategies(values: ExampleValues<S>, prepared: P): Strategy[];
  /** The strategy the others' speedup is measured against. */
  baseline?: string;
  /** Lines printed before the first run (not with --json), e.g. what is being run. */
  heading?(values: ExampleValues<S>, prepared: P): string[];
  /** Columns and notes of the summary, from the report of the runs that were done. */
  summary?(values: ExampleValues<S>, report: Report, prepared: P): Omit<SummaryOptions, 'heading'>;
  /** The exit code once everything ran (0 by default); 130 after Ctrl-C whatever it says. */
  exitCode?(report: Report): number;
}

/** The usage text --help starts with. */
function usageOf(example: Pick<Example<OptionSpec>, 'name' | 'about' | 'usage'>): string {
  const usage = example.usage ?? `Usage: pnpm --filter ${example.name} start [-- options]`;
  return `${usage}\n${example.about}`;
}

/** Run an example as a program: parse argv, run the strategies, print, exit. */
export function runExample<S extends OptionSpec, P = undefined>(example: Example<S, P>): void {
  runCli(example.name, async ({ signal }) => {
    const spec = { ...example.options, ...commonOptions };
    const values = parseOptions(process.argv.slice(2), spec, usageOf(example)) as ExampleValues<S>;
    const json = values.json as boolean;
    example.check?.(values);
    const traceFile = traceFileOf(values.trace as string);
    const log = json ? () => {} : (line: string) => process.stdout.write(`${line}\n`);
    // Threads and processes prepare makes (a warm pool, a server) are noted,
    // not traced: each is traced from the first task a run gives it.
    const live = liveStream();
    const early = traceFile || live ? noteMembers() : null;
    const prepared = (await example.prepare?.(values, { signal, log }).catch((error: unknown) => {
      // Ctrl-C before the first run: nothing to report, exit 130.
      if (signal.aborted) return STOPPED;
      throw error;
    })) as P;
    const made = early?.stop() ?? [];
    if (prepared === STOPPED) return 0;
    // The trace observes from here on: the runs, not the sizing before them.
    const trace = traceFile || live ? new Trace(live) : null;
    const stopObserving = trace ? observeAll(trace, example.name, made) : () => {};
    try {
      return await runPrepared(example, values, prepared, signal, log, trace);
    } finally {
      stopObserving();
      if (trace && traceFile) {
        trace.write(traceFile);
        const where = `trace: ${trace.events.length} events in ${traceFile} (open it in ui.perfetto.dev)`;
        if (json) process.stderr.write(`${where}\n`);
        else log(where);
      }
      live?.end();
      const disposable = prepared as Partial<AsyncDisposable> | undefined;
      await disposable?.[Symbol.asyncDispose]?.();
    }
  });
}

/**
 * Where --trace writes, as the reader meant it: pnpm runs a script in the
 * package's folder, so a relative path is taken from where pnpm was typed
 * (INIT_CWD). A folder, or a path in no folder, is bad input.
 */
function traceFileOf(given: string): string {
  if (!given) return '';
  const file = resolve(process.env.INIT_CWD ?? process.cwd(), given);
  if (existsSync(file) && statSync(file).isDirectory()) {
    throw new UsageError(`--trace needs a file, and ${given} is a folder`);
  }
  if (!existsSync(dirname(file))) {
    throw new UsageError(`--trace: there is no folder ${dirname(file)}`);
  }
  return file;
}

/** A strategy's before (untimed), run (timed) and after (untimed), in that order. */
async function measure(strategy: Strategy, context: RunContext, trace: Trace | null) {
  await strategy.before?.(context);
  if (context.signal.aborted) return null;
  // On the trace, the timed part is one slice on the main thread.
  const id = trace?.nextId() ?? '';
  const begun = nowUs();
  trace?.begin(mainTrack, 'run', strategy.name, id, undefined, begun);
  if (trace) trace.inRun = true;
  let ended = begun;
  const run = await timed(() => strategy.run(context)).finally(() => {
    if (trace) trace.inRun = false;
    ended = nowUs();
    trace?.end(mainTrack, 'run', strategy.name, id, undefined, ended);
  });
  const outcome = { ...run.value, wallMs: run.wallMs };
  const measured = strategy.after
    ? { ...(await strategy.after(outcome, context)), wallMs: run.wallMs }
    : outcome;
  // A race's record says what the count should have reached and what it
  // did: as a counter over the run, beside the shared memory climbing.
  const { expected, actual } = measured as { expected?: unknown; actual?: unknown };
  if (trace && typeof expected === 'number' && typeof actual === 'number') {
    trace.counter(mainTrack, 'race', { expected }, begun);
    trace.counter(mainTrack, 'race', { expected, actual }, ended);
  }
  return measured;
}

async function runPrepared<S extends OptionSpec, P>(
  example: Example<S, P>,
  values: ExampleValues<S>,
  prepared: P,
  signal: AbortSignal,
  log: (line: string) => void,
  trace: Trace | null,
): Promise<number> {
  const json = values.json as boolean;
  const strategies = example.strategies(values, prepared);
  for (const line of json ? [] : (example.heading?.(values, prepared) ?? [])) log(line);

  const done: Measurement[] = [];
  const context: RunContext = { signal, log, done };
  for (const strategy of strategies) {
    // A run that computes holds the thread: Ctrl-C's handler runs only at
    // the loop's next turn, so give it one between runs.
    await setImmediate();
    if (signal.aborted) break;
    // Ctrl-C: a run that rejects is not recorded; one that returns early
    // (with what it finished) is, and the runs after it are skipped.
    const measured = await measure(strategy, context, trace).catch((error: unknown) => {
      if (signal.aborted) return null;
      throw error;
    });
    if (measured === null) break;
    const measurement = { ...measured, strategy: strategy.name };
    done.push(measurement);
    // The record beside the slices, so a viewer can check one against the other.
    trace?.instant(mainTrack, 'record', measurement);
  }
  const report = makeReport(example.name, done, example.baseline);
  const summary = example.summary?.(values, report, prepared) ?? {};
  const notes = summary.notes ?? [];
  if (signal.aborted) {
    const note = `  interrupted: ${done.length} of ${strategies.length} runs done.`;
    notes.push(...(notes.length > 0 ? [note] : ['', note]));
  }
  printReport(report, json, { ...summary, notes });
  return example.exitCode?.(report) ?? 0;
}
