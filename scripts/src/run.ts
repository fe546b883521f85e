// One program run by the lab's tools, to its end or to its stop. Each runs in
// a process group of its own, so that stopping it (on Ctrl-C, or when it
// overruns) stops whatever it started too: a Python multiprocessing.Pool's
// workers outlive a parent killed by a signal. A run that overruns is
// killed, not left behind a Promise that gave up waiting for it.
import { spawn } from 'node:child_process';

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  signal?: AbortSignal;
  /** The longest it may take; then its group gets SIGTERM, and SIGKILL after `graceMs`. */
  timeoutMs: number;
  graceMs?: number;
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Why it was stopped ('interrupted', 'took longer than ...'), or null if it ended by itself. */
  stopped: string | null;
}

const inWords = (ms: number) =>
  ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000} minutes` : `${ms / 1000} s`;

/** Run `command args` and resolve when it and its output have ended; rejects only if it cannot start. */
export function runProgram(
  command: string,
  args: string[],
  options: RunOptions,
): Promise<Finished> {
  const { signal, timeoutMs, graceMs = 3000 } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stopped: string | null = null;
    let hardStop: NodeJS.Timeout | undefined;
    const group = (sig: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, sig);
      } catch {
        // The group has already gone.
      }
    };
    const stop = (why: string) => {
      if (stopped) return;
      stopped = why;
      group('SIGTERM');
      hardStop = setTimeout(() => group('SIGKILL'), graceMs);
    };
    const onAbort = () => stop('interrupted');
    signal?.addEventListener('abort', onAbort, { once: true });
    const overrun = setTimeout(() => stop(`took longer than ${inWords(timeoutMs)}`), timeoutMs);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const done = () => {
      signal?.removeEventListener('abort', onAbort);
      clearTimeout(overrun);
      clearTimeout(hardStop);
    };
    child.on('error', (error) => {
      done();
      reject(error);
    });
    child.on('close', (code) => {
      done();
      resolve({ code, stdout, stderr, stopped });
    });
  });
}

/** Why a run printed nothing useful: its last line on stderr, or its exit code. */
export const lastWords = (run: Finished) =>
  run.stderr.trim().split('\n').at(-1) || `exit code ${run.code}`;
