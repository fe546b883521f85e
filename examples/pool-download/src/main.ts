// pnpm --filter pool-download start [-- --concurrency 5 --pool tasks|threads|processes]
import { downloadFamily, downloadOptions, downloads } from '@lab/download';
import { option, poolIdeal, runExample, UsageError } from '@lab/harness';
import { measureBareStartup } from '@lab/pool';
import { MAX_MEMBERS } from './member-pool.ts';
import { downloadAllSites as withTasks } from './pool-download.ts';
import { downloadAllSites as withProcesses } from './process-pool.ts';
import { downloadAllSites as withThreads } from './thread-pool.ts';

const pools = { tasks: withTasks, threads: withThreads, processes: withProcesses };
const memberKind = { threads: 'thread', processes: 'process' } as const;

runExample({
  name: 'pool-download',
  about: 'Downloads the sites through a bounded pool.',
  options: {
    ...downloadOptions,
    concurrency: option.int(
      `most downloads at once (max_workers; at most ${MAX_MEMBERS} with --pool threads or processes)`,
      { default: 5, min: 1, max: 1000 },
    ),
    pool: option.choice('what the pool is made of', ['tasks', 'threads', 'processes'], 'tasks'),
  },
  // The flags' checks, the sites warmed up before any clock, the summary, exit 1 on a failure.
  ...downloadFamily,
  check: (values) => {
    downloadFamily.check(values);
    if (values.pool !== 'tasks' && values.concurrency > MAX_MEMBERS) {
      throw new UsageError(`--concurrency is at most ${MAX_MEMBERS} with --pool ${values.pool}`);
    }
  },
  strategies: (values, target) => {
    const { concurrency, pool } = values;
    return [
      downloads(values, target, {
        name: `pool-${pool}`,
        // Waves of C at one latency each; threads or processes first pay their start-up (measured).
        idealMs: (sites, latencyMs, { startupMs = 0 }) =>
          startupMs + poolIdeal(sites, concurrency, latencyMs),
        // The floor under that start-up: as many members as the run starts, loading nothing.
        beforeClock: async (sites) => {
          if (pool === 'tasks') return {};
          const members = Math.min(concurrency, sites.length);
          return { bareStartupMs: await measureBareStartup(memberKind[pool], members) };
        },
        downloadAllSites: (sites, context) => pools[pool](sites, { ...context, concurrency }),
        fields: { concurrency },
        connectionsFlag: '--concurrency',
      }),
    ];
  },
});
