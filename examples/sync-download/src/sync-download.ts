// One site after another: the notes' synchronous version.
//
// Python's requests.Session keeps its connection to a host open between
// requests; here an undici Agent limited to one connection per host does the
// same. Each download waits for the one before it, so the run takes about
// N x latency: 80 sites at 100 ms is 8 seconds, however fast the machine.
import {
  closeSession,
  type DownloadContext,
  downloadSite,
  openSession,
  type SiteResult,
} from '@lab/download';

export interface SyncOptions extends DownloadContext {
  /** false: close the connection after every site, as requests.get() without a Session does. */
  keepAlive: boolean;
}

export async function downloadAllSites(
  sites: string[],
  options: SyncOptions,
): Promise<SiteResult[]> {
  // The Session: one connection per host, kept alive between sites.
  const session = openSession({ connections: 1 }, options.signal);
  const results: SiteResult[] = [];
  try {
    for (const url of sites) {
      if (options.signal.aborted) break;
      // The await is the whole story: the next site does not start until this one is in.
      const result = await downloadSite(url, session, {
        ...options,
        newConnection: !options.keepAlive,
      });
      options.onResult(result);
      results.push(result);
    }
  } finally {
    await closeSession(session);
  }
  return results;
}
