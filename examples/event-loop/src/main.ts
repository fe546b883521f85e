// pnpm --filter event-loop start [-- --way all --numbers 10 --base 35000000]
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
import { checkTask, MAX_N, makeTasks } from 'cpu-multiprocess/job';
import { runBlocking, runChunked, runOnWorker } from './event-loop.ts';
import { startHeartbeat, TICK_MS } from './heartbeat.ts';

const usage =
  'Usage: pnpm --filter event-loop start [-- options]\nRuns one CPU job three ways while a heartbeat tries to tick every 10 ms.';
const ways = ['blocking', 'chunked', 'worker'] as const;
const spec = {
  way: option.choice('which way to run the job', [...ways, 'all'], 'all'),
  numbers: option.int('how many numbers (tasks) in the job', { default: 10, min: 1, max: 1000 }),
  base: option.int('the first number (the job: sum of i*i for i < n)', {
    default: 35_000_000,
    min: 1,
    max: MAX_N,
  }),
  json: option.flag('print one JSON object instead of the summary'),
};

runCli('event-loop', async ({ signal }) => {
  const values = parseOptions(process.argv.slice(2), spec, usage);
  if (values.base + values.numbers - 1 > MAX_N) {
    throw new UsageError(`--base plus --numbers must stay within ${MAX_N}`);
  }
  const tasks = makeTasks('squares', values.numbers, values.base);
  const run = { blocking: runBlocking, chunked: runChunked, worker: runOnWorker };
  const chosen = values.way === 'all' ? ways : [values.way];
  const measurements: Measurement[] = [];
  let aloneMs: number | null = null;
  for (const way of chosen) {
    const heartbeat = startHeartbeat();
    // Stop the heartbeat even when the run fails or is cancelled: a live
    // interval would keep the process from exiting.
    let responsiveness: ReturnType<typeof heartbeat.stop> | undefined;
    const { value, wallMs } = await timed(() => run[way](tasks, signal)).finally(() => {
      responsiveness = heartbeat.stop();
    });
    // The blocking run is the job alone: the others are measured against it.
    if (way === 'blocking') aloneMs = wallMs;
    measurements.push({
      strategy: way,
      items: tasks.length,
      wallMs,
      idealMs: aloneMs,
      exact: tasks.every((task, i) => checkTask(task, value[i] ?? '')),
      ...(responsiveness as ReturnType<typeof heartbeat.stop>),
    });
  }
  printReport(makeReport('event-loop', measurements), values.json, {
    heading: values.json
      ? []
      : [
          `a heartbeat every ${TICK_MS} ms while the job (${tasks.length} sums of squares from ${values.base}) runs`,
        ],
    columns: [
      { key: 'ticksMissed', label: 'ticks missed' },
      { key: 'delayP50Ms', label: 'delay p50', format: (v) => formatMs(Number(v)) },
      { key: 'delayP99Ms', label: 'delay p99', format: (v) => formatMs(Number(v)) },
      { key: 'delayMaxMs', label: 'delay max', format: (v) => formatMs(Number(v)) },
      { key: 'exact', label: 'exact' },
    ],
    notes: [
      '',
      '  blocking: the loop stalls for the whole job; no timer, socket or Ctrl-C is handled until it ends.',
      '  chunked: the loop gets a turn every few ms, at little cost; V8 compiles the sliced loop differently, so its time can even beat blocking.',
      '  worker: the job runs on another thread; the loop is free, and the job takes about as long as alone.',
    ],
  });
  return measurements.every((m) => m.exact) ? 0 : 1;
});
