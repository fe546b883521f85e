// Where the sites come from: the embedded server (the default), a sites
// server already running (--server), or real URLs (--url).

import { type SitesServer, type SitesStats, startSitesThread, type Workload } from '@lab/sites';
import { Agent, request } from 'undici';

export interface Target {
  /** Every URL to download, in order; repeats are downloaded again. */
  sites: string[];
  /** The workload when it is known (embedded or --server), for the ideal-time model. */
  workload: Workload | null;
  /** A line saying where the sites are. */
  description: string;
  /**
   * Before the clock starts, a burst of 100 requests on connections of its
   * own, closed again before the run: undici compiles its HTTP parser
   * (WebAssembly) on first use, and V8 compiles the connect and request paths
   * once they are hot. That is start-up, like Python's `import requests`
   * before its start_time, not the downloading the examples measure
   * (measured: all-at-once at the defaults took 127-133 ms after a burst of
   * 16, 122-124 ms after a burst of 100). The server's counters are reset
   * after it. Real sites (--url) are never warmed up.
   */
  warmUp(): Promise<void>;
  /** The server's counters since the run began, when there is a server to ask. */
  stats(): Promise<SitesStats | null>;
  close(): Promise<void>;
}

const WARM_UP_REQUESTS = 100;

async function warmUp(url: string): Promise<void> {
  const agent = new Agent({ connections: WARM_UP_REQUESTS });
  try {
    await Promise.all(
      Array.from({ length: WARM_UP_REQUESTS }, async () => {
        const { body } = await request(url, { dispatcher: agent });
        await body.dump();
      }),
    );
  } finally {
    await agent.close();
  }
  // Let the server finish closing the warm-up's connections before the clock starts.
  await new Promise((resolve) => setTimeout(resolve, 20));
}

/** The notes download `[a, b] * 80`: --url gives the list, --sites how many downloads in all. */
export function cycle(urls: readonly URL[], count: number): string[] {
  return Array.from({ length: count }, (_, i) => String(urls[i % urls.length]));
}

export async function embeddedTarget(count: number, workload: Workload): Promise<Target> {
  const server: SitesServer = await startSitesThread(workload);
  return {
    sites: Array.from({ length: count }, (_, n) => server.siteUrl(n)),
    workload,
    description: `sites: embedded server at ${server.origin} (${workload.latencyMs} ms latency, ${workload.bytes} bytes a site)`,
    warmUp: async () => {
      await warmUp(`${server.origin}/stats`);
      await server.resetStats();
    },
    stats: () => server.stats(),
    close: () => server.close(),
  };
}

/** A sites server started elsewhere (`pnpm sites`, or the matrix): its counters are read over HTTP. */
export async function remoteTarget(base: URL, count: number): Promise<Target> {
  const origin = base.origin;
  const reset = await fetch(`${origin}/stats/reset`, { method: 'POST' }).catch(() => null);
  if (!reset?.ok) throw new Error(`no sites server answers at ${origin}`);
  const readStats = async () =>
    (await (await fetch(`${origin}/stats`)).json()) as SitesStats & { workload: Workload };
  const { workload } = await readStats();
  return {
    sites: Array.from({ length: count }, (_, n) => `${origin}/site/${n}`),
    workload,
    description: `sites: server at ${origin} (${workload.latencyMs} ms latency, ${workload.bytes} bytes a site)`,
    warmUp: async () => {
      await warmUp(`${origin}/stats`);
      await fetch(`${origin}/stats/reset`, { method: 'POST' });
    },
    stats: readStats,
    close: async () => {},
  };
}

export function urlTarget(urls: readonly URL[], count: number): Target {
  const hosts = new Set(urls.map((u) => u.host));
  return {
    sites: cycle(urls, count),
    workload: null,
    description: `sites: ${count} downloads from ${[...hosts].join(', ')}`,
    warmUp: async () => {},
    stats: async () => null,
    close: async () => {},
  };
}
