// Celery beside the queue: python/queue_celery.py --driven, in a process of
// its own, starts a Celery worker (prefork, one process per core) on the
// same Redis before any clock, says how long one task takes alone in
// CPython, and then runs the same small tasks on each `run CHUNK` line it
// reads, one JSON line of results back. The clock here covers only that:
// from the line sent to the results read.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { findPython, within } from '@lab/harness';
import type { Task } from '@lab/job';

const script = new URL('../python/queue_celery.py', import.meta.url).pathname;

/** Why Celery cannot run here, or null. */
export function celeryProblem(): string | null {
  return findPython(['celery', 'redis']).problem;
}

export interface Celery extends AsyncDisposable {
  /** One task's time alone in CPython, ms. */
  taskMs: number;
  /** From the spawn until the Celery worker took tasks. */
  startupMs: number;
  /** Run every task, `chunk` a message (1: one task a message); the results in order. */
  run(chunk: number): Promise<string[]>;
  /** The cost of one message beyond its task, from 200 tasks one a message (untimed). */
  probe(): Promise<number>;
}

export async function startCelery(
  redis: string,
  workers: number,
  tasks: readonly Task[],
): Promise<Celery> {
  const python = findPython(['celery', 'redis']).python ?? '/usr/bin/python3';
  const base = tasks[0]?.n ?? 0;
  const child: ChildProcess = spawn(
    python,
    [
      script,
      '--driven',
      '--redis',
      redis,
      '--workers',
      String(workers),
      '--tasks',
      String(tasks.length),
      '--base',
      String(base),
    ],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
      // A process group of its own: the script and the Celery worker it
      // starts (and that worker's prefork children) end together, even when
      // the script itself is killed before it could stop them.
      detached: true,
    },
  );
  const kill = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {} // already gone
  };
  process.once('exit', kill);
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`queue_celery.py exited (code ${code})`);
  });
  exited.catch(() => {});
  const next = async (what: string, ms: number) => {
    // The script's next line, or its exit; past `ms`, the caller stops the script.
    const line = await within(ms, what, (signal) =>
      Promise.race([
        lines.next(),
        exited,
        once(signal, 'abort').then((): never => {
          throw signal.reason;
        }),
      ]),
    );
    if (line.done) throw new Error(`queue_celery.py ended before ${what}`);
    return JSON.parse(line.value) as Record<string, unknown>;
  };
  const stop = async () => {
    process.off('exit', kill);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = once(child, 'exit');
    child.stdin?.end(); // the script stops its worker and exits when its stdin closes
    const hard = setTimeout(kill, 15_000);
    await gone;
    clearTimeout(hard);
  };
  try {
    const ready = await next('starting Celery', 60_000);
    const run = async (chunk: number) => {
      child.stdin?.write(`run ${chunk}\n`);
      return (await next('the Celery run', 600_000)).results as string[];
    };
    return {
      taskMs: Number(ready.taskMs),
      startupMs: Number(ready.startupMs),
      run,
      async probe() {
        // The script's tasks are the whole small job: time it one a message, per message.
        const started = performance.now();
        await run(1);
        const wallMs = performance.now() - started;
        return Math.max(0, (wallMs * workers - Number(ready.taskMs) * tasks.length) / tasks.length);
      },
      [Symbol.asyncDispose]: stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
