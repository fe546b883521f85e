// What event-loop's main needs around the lesson: the job's size, the bare
// thread's start-up (both before any clock), one run under the heartbeat,
// and its record. The lesson itself is in event-loop.ts.
import { formatMs, type Measurement, UsageError } from '@lab/harness';
import { calibrate, checkTask, MAX_N, makeTasks, type Task } from '@lab/job';
import { measureBareStartup } from '@lab/pool';
import type { Run } from './event-loop.ts';
import { type Responsiveness, startHeartbeat } from './heartbeat.ts';

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
  // The floor under the worker's start-up: a thread that loads nothing.
  const bareStartupMs = ['worker', 'all'].includes(values.way)
    ? await measureBareStartup('thread', 1)
    : 0;
  return { tasks: makeTasks('squares', numbers, base), base, size, bareStartupMs };
}
type Prepared = Awaited<ReturnType<typeof prepare>>;

const round = (value: number) => Math.round(value * 10) / 10;

/** One way of running the job, with a heartbeat beside it: how late its timers were. */
export async function measureWhileBeating(
  run: (tasks: readonly Task[], signal?: AbortSignal) => Promise<Run>,
  { tasks, base, bareStartupMs }: Prepared,
  signal: AbortSignal,
) {
  const heartbeat = startHeartbeat();
  // Stop the heartbeat even when the run fails or is cancelled: a live
  // interval would keep the process from exiting.
  let responsiveness: Responsiveness | undefined;
  const { results, startupMs } = await run(tasks, signal).finally(() => {
    responsiveness = heartbeat.stop();
  });
  return {
    items: tasks.length,
    exact: tasks.every((task, i) => checkTask(task, results[i] ?? '')),
    base,
    // Only a way that started a thread has a start-up to report (the others say 0).
    ...(startupMs > 0 && {
      startupMs: round(startupMs),
      bareStartupMs: round(bareStartupMs),
    }),
    ...responsiveness,
  };
}

/** The blocking run is the job alone; each way's ideal is that, plus any start-up it pays first. */
export function complete(m: Measurement, done: readonly Measurement[]): Measurement {
  const aloneMs =
    m.strategy === 'blocking' ? m.wallMs : done.find((d) => d.strategy === 'blocking')?.wallMs;
  return { ...m, idealMs: aloneMs === undefined ? null : aloneMs + Number(m.startupMs ?? 0) };
}
