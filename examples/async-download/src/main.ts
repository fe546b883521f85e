// pnpm --filter async-download start [-- --sites 80 --latency 100 --max-connections 100]
import { downloadOptions, runDownloads } from '@lab/download';
import { option, parseOptions, poolIdeal, runCli } from '@lab/harness';
import { downloadAllSites } from './async-download.ts';

const usage =
  'Usage: pnpm --filter async-download start [-- options]\nDownloads every site at once with async/await.';
const spec = {
  ...downloadOptions,
  maxConnections: option.int('most sockets open at once to one host', {
    default: 100,
    min: 1,
    max: 10_000,
  }),
};

runCli('async-download', async ({ signal }) => {
  const values = parseOptions(process.argv.slice(2), spec, usage);
  const { maxConnections } = values;
  return runDownloads(
    values,
    {
      example: 'async-download',
      strategy: 'all-at-once',
      // About one latency while the sites fit in the connection bound; in waves beyond it.
      idealMs: (sites, latencyMs) => poolIdeal(sites, maxConnections, latencyMs),
      downloadAllSites: (sites, hooks) => downloadAllSites(sites, { ...hooks, maxConnections }),
      fields: { concurrency: maxConnections },
      connectionsFlag: '--max-connections',
      timeline: true,
    },
    signal,
  );
});
