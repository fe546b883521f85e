// pnpm --filter sync-download start [-- --sites 80 --latency 100 --no-keepalive]
import { downloadFamily, downloadOptions, downloads } from '@lab/download';
import { option, runExample, sequentialIdeal } from '@lab/harness';
import { downloadAllSites } from './sync-download.ts';

runExample({
  name: 'sync-download',
  about: 'Downloads every site one after another.',
  options: {
    ...downloadOptions,
    noKeepalive: option.flag('open a new connection for every site (no Session)'),
  },
  // The flags' checks, the sites warmed up before any clock, the summary, exit 1 on a failure.
  ...downloadFamily,
  strategies: (values, target) => {
    const keepAlive = !values.noKeepalive;
    return [
      downloads(values, target, {
        name: keepAlive ? 'sequential' : 'sequential-no-keepalive',
        // One latency per site: N x L.
        idealMs: (sites, latencyMs) => sequentialIdeal(sites, latencyMs),
        downloadAllSites: (sites, context) => downloadAllSites(sites, { ...context, keepAlive }),
        fields: { concurrency: 1, keepAlive },
      }),
    ];
  },
});
