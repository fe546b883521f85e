// One site after another: the notes' synchronous version.
//
//   pnpm --filter sync-download exec node src/sync-download.ts
//
// Python's requests.Session keeps its connection to a host open between
// requests; here an undici Agent limited to one connection per host does the
// same. Each download waits for the one before it, so the run takes about
// N x latency: 80 sites at 100 ms is 8 seconds, however fast the machine.
import { downloadSite, printDownloads, type SiteResult } from '@lab/download';
import { Agent } from 'undici';

export async function downloadAllSites(
  sites: string[],
  // The Session: its connection to a host kept alive between sites.
  session: Agent,
): Promise<SiteResult[]> {
  const results: SiteResult[] = [];
  for (const url of sites) {
    // The await is the whole story: the next site does not start until this one is in.
    results.push(await downloadSite(url, session));
    // Ctrl-C destroyed the session: stop here, as a KeyboardInterrupt would.
    if (session.destroyed) break;
  }
  return results;
}

if (import.meta.main) {
  // The Session: one connection per host, kept alive between sites.
  const session = new Agent({ connections: 1 });
  await printDownloads((sites) => downloadAllSites(sites, session), { session });
}
