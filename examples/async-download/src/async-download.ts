// Every site at once: the notes' asyncio version.
//
//   pnpm --filter async-download exec node src/async-download.ts
//
// Each downloadSite() call starts its request and returns a promise at its
// first await; Promise.all then waits for all of them together. One thread
// does this: while one response is on its way, the event loop is free to send
// the next request. The run takes about one latency, however many sites.
//
// "All at once" still has a bound, and it is the session's: the Agent opens
// at most `connections` sockets per host (aiohttp's TCPConnector default is
// 100), and requests beyond that wait in its queue. Without it, 10,000 sites
// would mean 10,000 sockets, and a server or the process's file-descriptor
// limit would say no before the event loop did.
import { downloadSite, printDownloads, type SiteResult } from '@lab/download';
import { Agent } from 'undici';

export async function downloadAllSites(
  sites: string[],
  // The ClientSession: its bound, at most `connections` sockets to a host.
  session: Agent,
): Promise<SiteResult[]> {
  // Start every download now; none of them waits for another.
  return Promise.all(sites.map((url) => downloadSite(url, session)));
}

if (import.meta.main) {
  // The ClientSession: a pool of up to 100 connections per host.
  const session = new Agent({ connections: 100 });
  await printDownloads((sites) => downloadAllSites(sites, session), { session });
}
