// pnpm --filter queue start [-- --workers 2 --redis redis://host:6379 --kill-worker]
import { runExample } from '@lab/harness';
import { check, options, prepare, strategies } from './setup.ts';
import { columns, heading, notes } from './summary.ts';

runExample({
  name: 'queue',
  about:
    'Runs the CPU job sequentially, on local threads, and as jobs on a BullMQ queue in Redis done by worker processes (one small task a job, and in chunks); Celery beside.',
  options,
  check,
  // Before any clock: a Redis (started here, or --redis), the job sized on this machine, the producer's queue.
  prepare,
  // Each queue run starts its worker processes untimed (before), and measures Redis's own counts after.
  strategies,
  heading,
  summary: (_values, report, prepared) => ({ columns, notes: notes(report, prepared) }),
  // A result missing, wrong, or counted twice fails the run.
  exitCode: (report) => (report.results.every((r) => r.exact) ? 0 : 1),
});
