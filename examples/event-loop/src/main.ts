// pnpm --filter event-loop start [-- --way all --numbers 10 --seconds 1]
import { option, runExample } from '@lab/harness';
import { MAX_N } from '@lab/job';
import { runBlocking, runChunked, runOnWorker } from './event-loop.ts';
import { heading, measureWhileBeating, prepare, summary, withIdeal } from './setup.ts';

const ways = { blocking: runBlocking, chunked: runChunked, worker: runOnWorker };

runExample({
  name: 'event-loop',
  about: 'Runs one CPU job three ways while a heartbeat tries to tick every 10 ms.',
  options: {
    way: option.choice('which way to run the job', ['blocking', 'chunked', 'worker', 'all'], 'all'),
    numbers: option.int('how many numbers (tasks) in the job', { default: 10, min: 1, max: 1000 }),
    seconds: option.number(
      'size the job so one run takes about this long here (all three: about 3x that)',
      { default: 1, min: 0.05, max: 60 },
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
        // The ideal: the blocking run's time, plus the worker's start-up.
        after: (outcome, { done }) => withIdeal(name, outcome, done),
      })),
  heading,
  summary,
  exitCode: (report) => (report.results.every((r) => r.exact) ? 0 : 1),
});
