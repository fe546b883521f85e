// pnpm --filter sync-download start [-- --sites 80 --latency 100 --no-keepalive]
import { downloadFamily, downloadOptions, downloads } from '@lab/download';
import { option, runExample, sequentialIdeal } from '@lab/harness';
import { downloadAllSites } from './sync-download.ts';

runExample({
  name: 'sync-download',
  about: 'Downloads every site one after another.',
  options: {
    ...downloadOptions({ default: 1, max: 10_000, also: '; one after another uses one' }),
    noKeepalive: option.flag('open a new connection for every site (no Session)'),
  },
  // The flags' checks, the sites warmed up before any clock, the summary, exit 1 on a failure.
  ...downloadFamily,
  strategies: (values, target) => {
    const keepAlive = !values.noKeepalive;
    return [
      downloads(values, target, {
        name: keepAlive ? 'sequential' : 'sequential-no-keepalive',
        // The Session: kept alive between sites, or (no Session) a new connection each.
        session: { connections: values.connections, keepAlive },
        run: (session) => downloadAllSites(target.sites, session),
        // One latency per site: N x L.
        idealMs: (sites, latencyMs) => sequentialIdeal(sites, latencyMs),
        fields: { concurrency: 1, keepAlive },
      }),
    ];
  },
});
