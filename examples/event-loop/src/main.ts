// pnpm --filter event-loop start [-- --way all --numbers 10 --seconds 1]
import {
  formatMs,
  type Measurement,
  makeReport,
  option,
  parseOptions,
  printReport,
  runCli,
  timed,
  UsageError,
} from '@lab/harness';
import { calibrate, checkTask, MAX_N, makeTasks } from '@lab/job';
import { measureBareStartup } from '@lab/pool';
import { runBlocking, runChunked, runOnWorker } from './event-loop.ts';
import { type Responsiveness, startHeartbeat, TICK_MS } from './heartbeat.ts';

const usage =
  'Usage: pnpm --filter event-loop start [-- options]\nRuns one CPU job three ways while a heartbeat tries to tick every 10 ms.';
const ways = ['blocking', 'chunked', 'worker'] as const;
const spec = {
  way: option.choice('which way to run the job', [...ways, 'all'], 'all'),
  numbers: option.int('how many numbers (tasks) in the job', { default: 10, min: 1, max: 1000 }),
  seconds: option.number('size the job so one run takes about this long here', {
    default: 1,
    min: 0.05,
    max: 600,
  }),
  base: option.int('the first number, fixed (overrides --seconds; the job: sum of i*i for i < n)', {
    default: 0,
    max: MAX_N,
  }),
  json: option.flag('print one JSON object instead of the summary'),
};
const ms = (v: unknown) => (v === undefined ? '' : formatMs(Number(v)));

runCli('event-loop', async ({ signal }) => {
  const values = parseOptions(process.argv.slice(2), spec, usage);
  const sizing = values.base ? null : calibrate('squares', values.numbers, values.seconds);
  const base = values.base || (sizing?.base ?? 0);
  if (base + values.numbers - 1 > MAX_N)
    throw new UsageError(`--base plus --numbers must stay within ${MAX_N}`);
  const tasks = makeTasks('squares', values.numbers, base);
  const run = { blocking: runBlocking, chunked: runChunked, worker: runOnWorker };
  const chosen = values.way === 'all' ? ways : [values.way];
  // The floor under the worker's start-up: a thread that loads nothing, measured before the clock.
  const bareStartupMs = chosen.includes('worker') ? await measureBareStartup('thread', 1) : 0;
  const measurements: Measurement[] = [];
  let aloneMs: number | null = null;
  for (const way of chosen) {
    const heartbeat = startHeartbeat();
    // Stop the heartbeat even when the run fails or is cancelled: a live
    // interval would keep the process from exiting.
    let responsiveness: Responsiveness | undefined;
    const outcome = await timed(() => run[way](tasks, signal))
      .catch((error: unknown) => {
        if (signal.aborted) return null;
        throw error;
      })
      .finally(() => (responsiveness = heartbeat.stop()));
    if (outcome === null) break;
    const { value, wallMs } = outcome;
    // The blocking run is the job alone: the others are measured against it,
    // the worker with its thread's start-up added (it is paid before the job can start).
    if (way === 'blocking') aloneMs = wallMs;
    measurements.push({
      strategy: way,
      items: tasks.length,
      wallMs,
      idealMs: aloneMs === null ? null : aloneMs + value.startupMs,
      exact: tasks.every((task, i) => checkTask(task, value.results[i] ?? '')),
      base,
      ...(way === 'worker'
        ? {
            startupMs: Math.round(value.startupMs * 10) / 10,
            bareStartupMs: Math.round(bareStartupMs * 10) / 10,
          }
        : {}),
      ...responsiveness,
    });
  }
  const size = sizing
    ? `sized here for about ${formatMs(sizing.expectedMs)} (${sizing.probe})`
    : 'size fixed by --base';
  printReport(makeReport('event-loop', measurements), values.json, {
    heading: [
      `a heartbeat every ${TICK_MS} ms while the job (${tasks.length} sums of squares from ${base.toLocaleString('en')}, ${size}) runs`,
    ],
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
      '  blocking: the loop stalls for the whole job; no timer, socket or Ctrl-C is handled until it ends.',
      '  chunked: the loop gets a turn every few ms, at little cost; V8 compiles the sliced loop differently, so its time can even beat blocking.',
      '  worker: the job runs on another thread; the loop is free, and the job takes as long as alone plus the',
      "  thread's start-up (its ideal: blocking's time + start-up; bare: a thread that loads nothing).",
      ...(signal.aborted
        ? [`  interrupted: ${measurements.length} of ${chosen.length} runs done.`]
        : []),
    ],
  });
  return measurements.every((m) => m.exact) ? 0 : 1;
});
