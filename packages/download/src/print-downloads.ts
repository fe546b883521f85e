// The notes' `if __name__ == "__main__":`, the same in every download
// version: their 80 sites (here from a slow-sites server, 100 ms each, on a
// thread of its own), the clock around the version's download_all_sites, a
// line for each site as download_site prints it, and the time it all took.
// What a version hands it is what differs: its downloadAllSites with its
// session, and the words of its last line.
import { sitesOf, startSitesThread } from '@lab/sites';
import type { Dispatcher } from 'undici';
import type { SiteResult } from './download-site.ts';

export interface PrintOptions {
  /** The version's session, closed at the end as its `with` block closes it. */
  session?: Dispatcher;
  /** The last line: by default the notes' `Downloaded 80 sites in 8.1 seconds`. */
  summary?: (count: number, seconds: number) => string;
}

/** The last line of the notes' threaded versions: `Downloaded 80 in 1.6 seconds`. */
export const threadedSummary = (count: number, seconds: number) =>
  `Downloaded ${count} in ${seconds} seconds`;

export async function printDownloads(
  downloadAllSites: (sites: string[]) => Promise<SiteResult[]>,
  {
    session,
    summary = (count, seconds) => `Downloaded ${count} sites in ${seconds} seconds`,
  }: PrintOptions = {},
): Promise<void> {
  const server = await startSitesThread();
  const sites = sitesOf(server);
  try {
    const start = performance.now();
    for (const { ok, bytes, url, error } of await downloadAllSites(sites))
      console.log(ok ? `Read ${bytes} from ${url}` : `Failed ${url}: ${error}`);
    const duration = (performance.now() - start) / 1000;
    console.log(summary(sites.length, duration));
  } finally {
    await session?.close();
    await server.close();
  }
}
