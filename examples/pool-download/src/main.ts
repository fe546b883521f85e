// pnpm --filter pool-download start [-- --connections 5 --pool tasks|threads|processes]
import { downloadFamily, downloadOptions, downloads, measureBareStartup } from '@lab/download';
import { option, poolIdeal, runExample, UsageError } from '@lab/harness';
import { downloadAllSites as withTasks } from './pool-download.ts';
import { downloadAllSites as withProcesses } from './process-pool.ts';
import { downloadAllSites as withThreads } from './thread-pool.ts';

// Threads and processes start before any site, a thread or a process each:
// ten threads peaked at 415 MB and started in 0.7 s here (32: 950 MB, 2.2 s).
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
    const { sites } = target;
    const size = Math.min(maxWorkers, sites.length);
    const members = {
      threads: ['thread', () => withThreads(sites, { maxWorkers, timeoutMs })],
      processes: ['process', () => withProcesses(sites, { maxWorkers, timeoutMs })],
    } as const;
    return [
      downloads(values, target, {
        name: `pool-${pool}`,
        // Tasks share the session; threads and processes open one each (the notes' thread_local).
        session: { connections: maxWorkers },
        // Before the clock, as many bare members as the run starts: the floor under their start-up.
        before: async () =>
          pool === 'tasks'
            ? {}
            : { bareStartupMs: await measureBareStartup(members[pool][0], size) },
        run: (session) =>
          pool === 'tasks' ? withTasks(sites, session, maxWorkers) : members[pool][1](),
        // Waves of C at one latency each; threads or processes first pay their start-up (measured).
        idealMs: (n, latencyMs, { startupMs = 0 }) =>
          startupMs + poolIdeal(n, maxWorkers, latencyMs),
        fields: { concurrency: maxWorkers },
      }),
    ];
  },
});
