// pnpm --filter pool-download start [-- --concurrency 5 --pool tasks|threads|processes]
import { downloadOptions, runDownloads } from '@lab/download';
import { option, parseOptions, poolIdeal, runCli } from '@lab/harness';
import { measureBareStartup } from '@lab/pool';
import { downloadAllSites as withTasks } from './pool-download.ts';
import { downloadAllSites as withProcesses } from './process-pool.ts';
import { downloadAllSites as withThreads } from './thread-pool.ts';

const usage =
  'Usage: pnpm --filter pool-download start [-- options]\nDownloads the sites through a bounded pool.';
const spec = {
  ...downloadOptions,
  concurrency: option.int('most downloads at once (max_workers)', {
    default: 5,
    min: 1,
    max: 1000,
  }),
  pool: option.choice('what the pool is made of', ['tasks', 'threads', 'processes'], 'tasks'),
};
const pools = { tasks: withTasks, threads: withThreads, processes: withProcesses };
const memberKind = { threads: 'thread', processes: 'process' } as const;

runCli('pool-download', async ({ signal }) => {
  const values = parseOptions(process.argv.slice(2), spec, usage);
  const { concurrency, pool } = values;
  const downloadAllSites = pools[pool];
  return runDownloads(
    values,
    {
      example: 'pool-download',
      strategy: `pool-${pool}`,
      // Waves of C at one latency each; a pool of threads or processes first
      // pays its start-up (measured in this run), before any site can start.
      idealMs: (sites, latencyMs, { startupMs = 0 }) =>
        startupMs + poolIdeal(sites, concurrency, latencyMs),
      // The floor under that start-up: members that load nothing, timed before the clock.
      beforeClock: async (): Promise<Record<string, number>> =>
        pool === 'tasks'
          ? {}
          : { bareStartupMs: await measureBareStartup(memberKind[pool], concurrency) },
      downloadAllSites: (sites, hooks) => downloadAllSites(sites, { ...hooks, concurrency }),
      fields: { concurrency },
      connectionsFlag: '--concurrency',
    },
    signal,
  );
});
