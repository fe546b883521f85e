// pnpm --filter async-download start [-- --sites 80 --latency 100 --max-connections 100 --preconnect]
import { downloadFamily, downloadOptions, downloads, type Session } from '@lab/download';
import { option, poolIdeal, runExample, UsageError } from '@lab/harness';
import { downloadAllSites } from './async-download.ts';
import { openConnectedSession } from './preconnect.ts';

runExample({
  name: 'async-download',
  about: 'Downloads every site at once with async/await.',
  options: {
    ...downloadOptions,
    maxConnections: option.int('most sockets open at once to one host', {
      default: 100,
      min: 1,
      max: 10_000,
    }),
    preconnect: option.flag('open the connections before the clock (all-at-once-preconnected)'),
  },
  // The flags' checks, the sites warmed up before any clock, the summary, exit 1 on a failure.
  ...downloadFamily,
  check: (values) => {
    downloadFamily.check(values);
    if (values.preconnect && values.url.length > 0) {
      throw new UsageError('--preconnect opens connections to a sites server; not with --url');
    }
  },
  strategies: (values, target) => {
    const { maxConnections, preconnect, timeout: timeoutMs } = values;
    let session: Session | undefined; // --preconnect: its connections opened before the clock
    return [
      downloads(values, target, {
        name: preconnect ? 'all-at-once-preconnected' : 'all-at-once',
        // About one latency while the sites fit in the connection bound; in waves beyond it.
        idealMs: (sites, latencyMs) => poolIdeal(sites, maxConnections, latencyMs),
        beforeClock: async (sites, signal) => {
          if (!preconnect) return {};
          const count = Math.min(sites.length, maxConnections);
          const options = { maxConnections, timeoutMs, signal };
          const opened = await openConnectedSession(sites, count, options);
          session = opened.session;
          return { preconnected: opened.connected };
        },
        downloadAllSites: (sites, context) =>
          downloadAllSites(sites, { ...context, maxConnections, session }),
        fields: { concurrency: maxConnections },
        connectionsFlag: '--max-connections',
        timeline: true,
      }),
    ];
  },
});
