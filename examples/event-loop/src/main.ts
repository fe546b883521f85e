// pnpm --filter event-loop start [-- --way all --numbers 10 --seconds 1]
import { formatMs, option, runExample } from '@lab/harness';
import { MAX_N } from '@lab/job';
import { runBlocking, runChunked, runOnWorker } from './event-loop.ts';
import { complete, measureWhileBeating, prepare } from './setup.ts';

const ways = { blocking: runBlocking, chunked: runChunked, worker: runOnWorker };
const ms = (v: unknown) => (v === undefined ? '' : formatMs(Number(v)));

runExample({
  name: 'event-loop',
  about: 'Runs one CPU job three ways while a heartbeat tries to tick every 10 ms.',
  options: {
    way: option.choice('which way to run the job', ['blocking', 'chunked', 'worker', 'all'], 'all'),
    numbers: option.int('how many numbers (tasks) in the job', { default: 10, min: 1, max: 1000 }),
    seconds: option.number(
      'size the job so one run takes about this long here (all three: about 3x that)',
      {
        default: 1,
        min: 0.05,
        max: 60,
      },
    ),
    base: option.int(
      'the first number, fixed (overrides --seconds; the job: sum of i*i for i < n)',
      { default: 0, max: MAX_N },
    ),
  },
  // Before any clock: size the job on this machine, and time a bare thread.
  prepare,
  strategies: ({ way }, prepared) =>
    Object.entries(ways)
      .filter(([name]) => way === 'all' || way === name)
      .map(([name, run]) => ({
        name,
        run: ({ signal }) => measureWhileBeating(run, prepared, signal),
      })),
  complete, // the ideal: the blocking run's time, plus the worker's start-up
  heading: (_, { tasks, base, size }) => [
    `a heartbeat every 10 ms while the job (${tasks.length} sums of squares from ${base.toLocaleString('en')}, ${size}) runs`,
  ],
  summary: ({ way }) => ({
    columns: [
      { key: 'ticksMissed', label: 'ticks missed' },
      { key: 'delayP50Ms', label: 'delay p50', format: ms },
      { key: 'delayP99Ms', label: 'delay p99', format: ms },
      { key: 'delayMaxMs', label: 'delay max', format: ms },
      { key: 'startupMs', label: 'start-up', format: ms },
      { key: 'bareStartupMs', label: 'bare', format: ms },
      { key: 'exact', label: 'exact' },
    ],
    // Only the ways that ran are explained.
    notes: [
      '',
      ...(way === 'all' || way === 'blocking'
        ? [
            '  blocking: the loop stalls for the whole job; no timer, socket or Ctrl-C is handled until it ends.',
          ]
        : []),
      ...(way === 'all' || way === 'chunked'
        ? [
            '  chunked: the loop gets a turn every few ms, at little cost: the job takes about as long as blocking.',
          ]
        : []),
      ...(way === 'all' || way === 'worker'
        ? [
            '  worker: the job runs on another thread; the loop is free, and the job takes as long as alone plus the',
            "  thread's start-up (its ideal: blocking's time + start-up; bare: a thread that loads nothing).",
          ]
        : []),
    ],
  }),
  exitCode: (report) => (report.results.every((r) => r.exact) ? 0 : 1),
});
