// Helpers for the examples' tests (not used at run time).
import { type ChildProcess, execFile } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import type { Report } from './record.ts';
import { startFlags } from './start-flags.ts';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The --json report, when stdout held one. */
  report: Report | null;
}

/** Run an example's main.ts on this Node (24) and collect what it printed. */
export function runMain(
  mainFile: URL,
  args: string[],
  timeoutMs = 60_000,
  nodeFlags: string[] = [],
): Promise<CliRun> {
  return startMain(mainFile, args, timeoutMs, nodeFlags).finished;
}

/** Start main.ts: the child, to watch and signal, and what it printed, once it has exited. */
function startMain(mainFile: URL, args: string[], timeoutMs: number, nodeFlags: string[] = []) {
  let child!: ChildProcess;
  const finished = new Promise<CliRun>((resolve) => {
    child = execFile(
      process.execPath,
      [...nodeFlags, mainFile.pathname, ...args],
      { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        let report: Report | null = null;
        try {
          report = JSON.parse(stdout) as Report;
        } catch {}
        const code = error ? ((error as { code?: number }).code ?? null) : 0;
        resolve({ code, stdout, stderr, report });
      },
    );
  });
  return { child, finished };
}

/** A lesson file run alone, as `node src/<file>.ts` runs it (Node 24: vitest's own), in its package. */
export function runLesson(file: URL, timeoutMs = 60_000) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [fileURLToPath(file)],
      { cwd: fileURLToPath(new URL('../', file)), timeout: timeoutMs },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: unknown }).code as number) : 0;
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
      },
    );
  });
}

/**
 * A lesson file run alone must exit 0: each line it printed, as `pattern`'s
 * captures (null for a line that does not match).
 */
export async function printedLines(file: URL, pattern: RegExp): Promise<(string[] | null)[]> {
  const { code, stdout, stderr } = await runLesson(file);
  expect(code, stderr).toBe(0);
  return stdout
    .trim()
    .split('\n')
    .map((line) => pattern.exec(line)?.slice(1) ?? null);
}

/** A bad command line, alone or with what its one line of error must name (a flag). */
export type BadInput = readonly string[] | readonly [args: readonly string[], names: string];

const naming = (input: BadInput): input is readonly [readonly string[], string] =>
  Array.isArray(input[0]);

/**
 * Bad input, as the bar asks, in one test: each command line, run in turn,
 * exits with code 2, prints nothing on stdout and one line on stderr, naming
 * what it is given to name. `check` gets each run, for a test's own checks.
 */
export function rejectsBadInput(
  mainFile: URL,
  inputs: readonly BadInput[],
  options: { title?: string; check?: (run: CliRun, args: readonly string[]) => void } = {},
): void {
  const title =
    options.title ??
    (inputs.some(naming)
      ? 'rejects bad input with one line naming the flag, and exit code 2'
      : 'rejects bad input with one line and exit code 2');
  it(title, async () => {
    for (const input of inputs) {
      const [args, names] = naming(input) ? input : [input, undefined];
      const run = await runMain(mainFile, [...args]);
      const said = args.join(' ');
      expect(run.code, said).toBe(2);
      expect(run.stdout, said).toBe('');
      expect(run.stderr.trim().split('\n'), said).toHaveLength(1);
      if (names !== undefined) expect(run.stderr, said).toContain(names);
      options.check?.(run, args);
    }
  });
}

/**
 * Run an example's src/main.ts with --json: it must exit 0 and print its
 * report alone, one line of JSON naming its example (the package) and the
 * machine's cores. The report.
 */
export async function runJson(mainFile: URL, args: string[], timeoutMs?: number): Promise<Report> {
  const { code, stdout, stderr, report } = await runMain(mainFile, ['--json', ...args], timeoutMs);
  expect(code, stderr).toBe(0);
  expect(stdout.trim().split('\n')).toHaveLength(1);
  const { name } = JSON.parse(readFileSync(new URL('../package.json', mainFile), 'utf8'));
  expect(report).toMatchObject({ example: name, cpus: expect.any(Number) });
  return report!;
}

/**
 * Run a package's src/main.ts as `pnpm start` runs it: with the Node flags of
 * its start script (a V8 flag can move peak memory by tens of MB).
 */
export function runStart(packageFolder: URL, args: string[], timeoutMs = 60_000): Promise<CliRun> {
  const main = new URL('src/main.ts', packageFolder);
  return runMain(main, args, timeoutMs, startFlags(fileURLToPath(packageFolder)));
}

export interface Interrupted {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run an example's main.ts, wait until its stdout shows `cue` (an event, not
 * a clock), then press Ctrl-C (SIGINT) and collect what it printed until it
 * exits. Rejects if the program exits before the cue.
 */
export async function interruptAfter(
  mainFile: URL,
  args: string[],
  cue: string | RegExp,
): Promise<Interrupted> {
  const { child, finished } = startMain(mainFile, args, 0); // no deadline: it ends on the signal
  const output = child.stdout!; // execFile's pipe, decoded as UTF-8
  let printed = '';
  output.on('data', (chunk: string) => {
    printed += chunk;
  });
  const exited = finished.then(() => true);
  const seen = () => (typeof cue === 'string' ? printed.includes(cue) : cue.test(printed));
  while (!seen()) {
    const early = await Promise.race([once(output, 'data').then(() => false), exited]);
    if (early && !seen()) {
      throw new Error(`exited before printing ${cue}: ${(await finished).stderr.trim()}`);
    }
  }
  child.kill('SIGINT');
  const { code, stdout, stderr } = await finished;
  return { code, stdout, stderr };
}

/**
 * Mark every process this test process starts from now on: they inherit the
 * mark in their environment, and so do theirs. The function returned lists
 * those of them still running ("pid command line"), so a test can check that
 * a run left nothing behind, whatever the other tests beside it are running.
 */
export function markOwnProcesses(name: string): () => string[] {
  const mark = `LAB_TEST_MARK=${name}-${process.pid}-${Date.now()}`;
  process.env.LAB_TEST_MARK = mark.slice('LAB_TEST_MARK='.length);
  return () =>
    readdirSync('/proc')
      .filter((pid) => /^\d+$/.test(pid) && pid !== String(process.pid))
      .flatMap((pid) => {
        try {
          if (!readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(mark)) return [];
          const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
          return [`${pid} ${command.trim()}`];
        } catch {
          return []; // gone while we looked, or not ours to read
        }
      });
}
