// pnpm --filter async-download start [-- --sites 80 --latency 100 --connections 100 --preconnect]
import { downloadFamily, downloadOptions, downloads } from '@lab/download';
import { option, poolIdeal, runExample, UsageError } from '@lab/harness';
import { downloadAllSites } from './async-download.ts';
import { preconnect } from './preconnect.ts';

runExample({
  name: 'async-download',
  about: 'Downloads every site at once with async/await.',
  options: {
    ...downloadOptions({ default: 100, max: 10_000 }),
    preconnect: option.flag('open the connections before the clock (all-at-once-preconnected)'),
  },
  // The flags' checks, the sites warmed up before any clock, the summary, exit 1 on a failure.
  ...downloadFamily,
  check: (values) => {
    downloadFamily.check(values);
    if (values.preconnect && values.url.length > 0)
      throw new UsageError('--preconnect opens connections to a sites server; not with --url');
  },
  strategies: (values, target) => {
    const { connections, sites } = { ...values, sites: target.sites };
    return [
      downloads(values, target, {
        name: values.preconnect ? 'all-at-once-preconnected' : 'all-at-once',
        // The ClientSession: at most `connections` sockets to the host.
        session: { connections },
        // --preconnect: the session's connections opened first, their time not counted.
        before: async (session) =>
          values.preconnect
            ? {
                preconnected: await preconnect(session, sites, Math.min(sites.length, connections)),
              }
            : {},
        run: (session) => downloadAllSites(sites, session),
        // About one latency while the sites fit in the connection bound; in waves beyond it.
        idealMs: (n, latencyMs) => poolIdeal(n, connections, latencyMs),
        fields: { concurrency: connections },
        timeline: true,
      }),
    ];
  },
});
