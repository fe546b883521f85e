// pnpm --filter sync-download start [-- --sites 80 --latency 100 --no-keepalive]
import { downloadOptions, runDownloads } from '@lab/download';
import { option, parseOptions, runCli, sequentialIdeal } from '@lab/harness';
import { downloadAllSites } from './sync-download.ts';

const usage =
  'Usage: pnpm --filter sync-download start [-- options]\nDownloads every site one after another.';
const spec = {
  ...downloadOptions,
  noKeepalive: option.flag('open a new connection for every site (no Session)'),
};

runCli('sync-download', async ({ signal }) => {
  const values = parseOptions(process.argv.slice(2), spec, usage);
  const keepAlive = !values.noKeepalive;
  return runDownloads(
    values,
    {
      example: 'sync-download',
      strategy: keepAlive ? 'sequential' : 'sequential-no-keepalive',
      idealMs: (sites, latencyMs) => sequentialIdeal(sites, latencyMs),
      downloadAllSites: (sites, hooks) => downloadAllSites(sites, { ...hooks, keepAlive }),
      fields: { concurrency: 1, keepAlive },
    },
    signal,
  );
});
