// Every site at once: the notes' asyncio version.
//
// Each downloadSite() call starts its request and returns a promise at its
// first await; Promise.all then waits for all of them together. One thread
// does this: while one response is on its way, the event loop is free to send
// the next request. The run takes about one latency, however many sites.
//
// "All at once" still has a bound. Here it is set deliberately: the Agent
// opens at most maxConnections sockets per host (aiohttp's default is 100),
// and requests beyond that wait in its queue. Without it, 10,000 sites would
// mean 10,000 sockets, and a server or the process's file-descriptor limit
// would say no before the event loop did.
import {
  closeSession,
  type DownloadContext,
  downloadSite,
  openSession,
  type Session,
  type SiteResult,
} from '@lab/download';

export interface AsyncOptions extends DownloadContext {
  /** Most sockets open at once to one host. */
  maxConnections: number;
  /** A session opened before the clock (preconnect.ts); by default, a new one. */
  session?: Session;
}

export async function downloadAllSites(
  sites: string[],
  options: AsyncOptions,
): Promise<SiteResult[]> {
  // The ClientSession: a pool of up to maxConnections connections per host.
  const session =
    options.session ?? openSession({ connections: options.maxConnections }, options.signal);
  try {
    // Start every download now; none of them waits for another.
    return await Promise.all(
      sites.map(async (url) => {
        const result = await downloadSite(url, session, options);
        options.onResult(result);
        return result;
      }),
    );
  } finally {
    await closeSession(session);
  }
}
