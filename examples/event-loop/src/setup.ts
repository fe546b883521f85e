// What event-loop's main needs around the lesson: the job's size and a bare
// thread's start-up (both before any clock), one run under the heartbeat,
// its thread's start-up from Node's own events, its ideal, and the summary.
// The lesson itself is in event-loop.ts.
import { once } from 'node:events';
import { type Worker as NodeWorker, Worker } from 'node:worker_threads';
import { formatMs, type Measurement, type Outcome, UsageError } from '@lab/harness';
import { calibrate, checkTask, MAX_N, makeTasks, type Task } from '@lab/job';
import { type Responsiveness, startHeartbeat } from './heartbeat.ts';

/**
 * Thread start-up as Node reports it: from a Worker's creation (the
 * process's 'worker' event) to its 'online' (it runs JavaScript), summed over
 * every thread started while watching.
 */
function watchThreadStartup(): { stop(): number } {
  let startupMs = 0;
  const onWorker = (worker: NodeWorker) => {
    const created = performance.now();
    worker.once('online', () => {
      startupMs += performance.now() - created;
    });
  };
  process.on('worker', onWorker);
  return {
    stop() {
      process.off('worker', onWorker);
      return startupMs;
    },
  };
}

/** The floor under the worker's start-up: a thread that loads nothing, timed the same way. */
async function bareStartup(): Promise<number> {
  const watch = watchThreadStartup();
  const worker = new Worker('', { eval: true });
  await once(worker, 'exit');
  return watch.stop();
}

export async function prepare(values: {
  numbers: number;
  seconds: number;
  base: number;
  way: string;
}) {
  const sizing = values.base ? null : calibrate('squares', values.numbers, values.seconds);
  const base = values.base || (sizing?.base ?? 0);
  const numbers = sizing?.numbers ?? values.numbers;
  if (base + numbers - 1 > MAX_N)
    throw new UsageError(`--base plus --numbers must stay within ${MAX_N}`);
  const size = sizing
    ? `sized here for about ${formatMs(sizing.expectedMs)} (${sizing.probe}${sizing.why ? `; ${sizing.why}` : ''})`
    : 'size fixed by --base';
  const bareStartupMs = ['worker', 'all'].includes(values.way) ? await bareStartup() : 0;
  return { tasks: makeTasks('squares', numbers, base), base, size, bareStartupMs };
}
type Prepared = Awaited<ReturnType<typeof prepare>>;

const round = (value: number) => Math.round(value * 10) / 10;

/** One way of running the job, with a heartbeat beside it: how late its timers were. */
export async function measureWhileBeating(
  run: (tasks: readonly Task[], signal?: AbortSignal) => Promise<string[]>,
  { tasks, base, bareStartupMs }: Prepared,
  signal: AbortSignal,
) {
  const heartbeat = startHeartbeat();
  const threads = watchThreadStartup();
  // Stop the heartbeat even when the run fails or is cancelled: a live
  // interval would keep the process from exiting.
  let responsiveness: Responsiveness | undefined;
  let startupMs = 0;
  const results = await run(tasks, signal).finally(() => {
    responsiveness = heartbeat.stop();
    startupMs = threads.stop();
  });
  return {
    items: tasks.length,
    exact: tasks.every((task, i) => checkTask(task, results[i] ?? '')),
    base,
    // Only a way that started a thread has a start-up to report.
    ...(startupMs > 0 && {
      startupMs: round(startupMs),
      bareStartupMs: round(bareStartupMs),
    }),
    ...responsiveness,
  };
}

/** The blocking run is the job alone; each way's ideal is that, plus any start-up it pays first. */
export async function withIdeal(
  way: string,
  o: Outcome & { wallMs: number },
  done: readonly Measurement[],
) {
  const aloneMs =
    way === 'blocking' ? o.wallMs : done.find((d) => d.strategy === 'blocking')?.wallMs;
  return { ...o, idealMs: aloneMs === undefined ? null : aloneMs + Number(o.startupMs ?? 0) };
}

const ms = (v: unknown) => (v === undefined ? '' : formatMs(Number(v)));
const notes = {
  blocking: [
    '  blocking: the loop stalls for the whole job; no timer, socket or Ctrl-C is handled until it ends.',
  ],
  chunked: [
    '  chunked: the loop gets a turn every few ms, at little cost: the job takes about as long as blocking.',
  ],
  worker: [
    '  worker: the job runs on another thread; the loop is free, and the job takes as long as alone plus the',
    "  thread's start-up (its ideal: blocking's time + start-up; bare: a thread that loads nothing).",
  ],
};

/** The summary's columns, and notes on the ways that ran only. */
export const summary = ({ way }: { way: string }) => ({
  columns: [
    { key: 'ticksMissed', label: 'ticks missed' },
    { key: 'delayP50Ms', label: 'delay p50', format: ms },
    { key: 'delayP99Ms', label: 'delay p99', format: ms },
    { key: 'delayMaxMs', label: 'delay max', format: ms },
    { key: 'startupMs', label: 'start-up', format: ms },
    { key: 'bareStartupMs', label: 'bare', format: ms },
    { key: 'exact', label: 'exact' },
  ],
  notes: [
    '',
    ...Object.entries(notes).flatMap(([name, lines]) =>
      way === 'all' || way === name ? lines : [],
    ),
  ],
});

export const heading = (_: unknown, { tasks, base, size }: Prepared) => [
  `a heartbeat every 10 ms while the job (${tasks.length} sums of squares from ${base.toLocaleString('en')}, ${size}) runs`,
];
