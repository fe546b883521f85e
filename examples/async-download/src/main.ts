// pnpm --filter async-download start [-- --sites 80 --latency 100 --max-connections 100 --preconnect]
import { downloadOptions, runDownloads } from '@lab/download';
import { option, parseOptions, poolIdeal, runCli, UsageError } from '@lab/harness';
import type { Agent as Session } from 'undici';
import { downloadAllSites } from './async-download.ts';
import { openConnectedSession } from './preconnect.ts';

const usage =
  'Usage: pnpm --filter async-download start [-- options]\nDownloads every site at once with async/await.';
const spec = {
  ...downloadOptions,
  maxConnections: option.int('most sockets open at once to one host', {
    default: 100,
    min: 1,
    max: 10_000,
  }),
  preconnect: option.flag(
    'open the connections before the clock (a strategy of its own: all-at-once-preconnected)',
  ),
};

runCli('async-download', async ({ signal }) => {
  const values = parseOptions(process.argv.slice(2), spec, usage);
  const { maxConnections, preconnect } = values;
  if (preconnect && values.url.length > 0) {
    throw new UsageError(
      '--preconnect opens connections to a sites server; it cannot be used with --url',
    );
  }
  // With --preconnect: the session, its connections opened before the clock.
  let session: Session | undefined;
  return runDownloads(
    values,
    {
      example: 'async-download',
      strategy: preconnect ? 'all-at-once-preconnected' : 'all-at-once',
      // About one latency while the sites fit in the connection bound; in waves beyond it.
      idealMs: (sites, latencyMs) => poolIdeal(sites, maxConnections, latencyMs),
      beforeClock: async (sites, signal): Promise<Record<string, number>> => {
        if (!preconnect) return {};
        const wanted = Math.min(sites.length, maxConnections);
        const opened = await openConnectedSession(sites, wanted, {
          maxConnections,
          timeoutMs: values.timeout,
          signal,
        });
        session = opened.session;
        return { preconnected: opened.connected };
      },
      downloadAllSites: (sites, hooks) =>
        downloadAllSites(sites, { ...hooks, maxConnections, session }),
      fields: { concurrency: maxConnections },
      connectionsFlag: '--max-connections',
      timeline: true,
    },
    signal,
  );
});
