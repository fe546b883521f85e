// pnpm --filter pool-download start [-- --connections 5 --pool tasks|threads|processes]
import { downloadFamily, downloadOptions, downloads, type Session } from '@lab/download';
import { option, poolIdeal, runExample, UsageError } from '@lab/harness';
import { downloadAllSites as withTasks } from './pool-download.ts';
import { downloadAllSites as withProcesses } from './process-pool.ts';
import { downloadAllSites as withThreads } from './thread-pool.ts';

// Threads and processes all start before any site: ten threads peaked at 415 MB here.
const MAX_MEMBERS = 10;
const also = `; one per download at once (max_workers; at most ${MAX_MEMBERS} threads or processes)`;
runExample({
  name: 'pool-download',
  about: 'Downloads the sites through a bounded pool.',
  options: {
    ...downloadOptions({ default: 5, max: 1000, also }),
    pool: option.choice('what the pool is made of', ['tasks', 'threads', 'processes'], 'tasks'),
  },
  // The flags' checks, the sites warmed up before any clock, the summary, exit 1 on a failure.
  ...downloadFamily,
  check: (values) => {
    downloadFamily.check(values);
    if (values.pool !== 'tasks' && values.connections > MAX_MEMBERS)
      throw new UsageError(`--connections is at most ${MAX_MEMBERS} with --pool ${values.pool}`);
  },
  strategies: (values, target) => {
    const { connections: maxWorkers, pool, timeout: timeoutMs } = values;
    return [
      downloads(values, target, {
        name: `pool-${pool}`,
        // Tasks share the session; threads and processes open one each (the notes' thread_local).
        session: { connections: maxWorkers },
        // Threads and processes: as many bare ones are timed before the clock, the floor.
        members: pool === 'tasks' ? undefined : pool,
        run: {
          tasks: (session: Session) => withTasks(target.sites, session, maxWorkers),
          threads: () => withThreads(target.sites, { maxWorkers, timeoutMs }),
          processes: () => withProcesses(target.sites, { maxWorkers, timeoutMs }),
        }[pool],
        // Waves of C at one latency each; threads or processes first pay their start-up (measured).
        idealMs: (n, latency, { startupMs = 0 }) => startupMs + poolIdeal(n, maxWorkers, latency),
        fields: { concurrency: maxWorkers },
      }),
    ];
  },
});
