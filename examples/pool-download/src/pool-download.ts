// A bounded pool: the notes' ThreadPoolExecutor(max_workers=5).
//
// p-limit lets at most `concurrency` downloads run at once; the rest wait in
// its queue and start as others finish. The Agent holds the same number of
// connections per host, so every running download has a socket of its own.
// Sites go in waves of C: 80 sites at 100 ms with C = 5 take about
// ceil(80 / 5) x 100 ms = 1.6 s, and the server never sees more than 5 at once.
//
// The same pool as worker threads (thread-pool.ts) and as processes
// (process-pool.ts) is one flag away: --pool threads | processes.
import {
  closeSession,
  type DownloadContext,
  downloadSite,
  openSession,
  type SiteResult,
} from '@lab/download';
import pLimit from 'p-limit';

export interface PoolOptions extends DownloadContext {
  /** Most downloads at once (max_workers). */
  concurrency: number;
}

export async function downloadAllSites(
  sites: string[],
  options: PoolOptions,
): Promise<SiteResult[]> {
  // The sessions: a pool of `concurrency` connections per host.
  const session = openSession({ connections: options.concurrency }, options.signal);
  const limit = pLimit(options.concurrency);
  try {
    // Queue every download; p-limit starts `concurrency` of them at a time.
    return await Promise.all(
      sites.map((url) =>
        limit(async () => {
          const result = await downloadSite(url, session, options);
          options.onResult(result);
          return result;
        }),
      ),
    );
  } finally {
    await closeSession(session);
  }
}
