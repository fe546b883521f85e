// A bounded pool: the notes' ThreadPoolExecutor(max_workers=5).
//
//   pnpm --filter pool-download exec node src/pool-download.ts
//
// p-limit lets at most `maxWorkers` downloads run at once; the rest wait in
// its queue and start as others finish. The session holds the same number
// of connections per host, so every running download has a socket of its
// own. Sites go in waves: 80 sites at 100 ms, five at a time, take about
// ceil(80 / 5) x 100 ms = 1.6 s, and the server never sees more than 5 at once.
//
// The same pool as worker threads (thread-pool.ts) and as processes
// (process-pool.ts) is one flag away: --pool threads | processes.
import { downloadSite, printDownloads, type SiteResult, threadedSummary } from '@lab/download';
import pLimit from 'p-limit';
import { Agent } from 'undici';

export async function downloadAllSites(
  sites: string[],
  // The sessions: a connection for each of the `maxWorkers` downloads at once.
  session: Agent,
  maxWorkers = 5,
): Promise<SiteResult[]> {
  const limit = pLimit(maxWorkers);
  // Queue every download; p-limit starts `maxWorkers` of them at a time.
  return Promise.all(sites.map((url) => limit(() => downloadSite(url, session))));
}

if (import.meta.main) {
  // The sessions: a connection for each of the five.
  const session = new Agent({ connections: 5 });
  await printDownloads((sites) => downloadAllSites(sites, session, 5), {
    session,
    summary: threadedSummary,
  });
}
