// Where the sites come from: the embedded server (the default), a sites
// server already running (--server), or real URLs (--url, each once unless
// --repeat N). A Target holds the list of URLs, how to warm up before the
// clock, and the server's counters when there is a server to ask.

import { Agent as HttpAgent, request } from 'node:http';
import {
  type SitesServer,
  type SitesStats,
  startSitesThread,
  WARM_UP_PATH,
  type Workload,
} from '@lab/sites';
import { workloadFrom } from '@lab/sites/options';
import { downloadTogether } from './download-site.ts';
import { checkCombinations, DEFAULT_SITES } from './options.ts';
import { openSession } from './session.ts';

export interface Target {
  /** Every URL to download, in order; repeats are downloaded again. */
  sites: string[];
  /** The workload when it is known (embedded or --server), for the ideal-time model. */
  workload: Workload | null;
  /** A line saying where the sites are. */
  description: string;
  /** For --url: each distinct URL and how many downloads of it the list holds. */
  perUrl: Map<string, number> | null;
  /**
   * Before the clock starts, requests shaped like the run (see warmUpBurst)
   * on connections of their own, through the run's own path (a session,
   * downloadSite), closed again before the run: undici compiles its HTTP
   * parser (WebAssembly) on first use, and V8 compiles the connect and
   * request paths once they are hot. That is start-up, like Python's
   * `import requests` before its start_time, not the downloading the examples
   * measure. Real sites (--url) are never warmed up. A warm-up that fails
   * (out of descriptors, say) is not an error: the run will meet the same
   * problem and name it.
   */
  warmUp(): Promise<void>;
  /** Zero the server's counters (when there is a server): the last step before the clock. */
  resetStats(): Promise<void>;
  /** The server's counters since resetStats(), when there is a server to ask. */
  stats(): Promise<SitesStats | null>;
  close(): Promise<void>;
}

const WARM_UP_CONNECTIONS = 100;

/**
 * The warm-up before a run of `sites` downloads: four bursts shaped like the
 * run, each of its size (from 100 up to 2,000 requests), all at once on a
 * fresh session. With less, the run measures V8 still compiling the client
 * and learning which of its objects live long (its first full collections),
 * which a program that keeps downloading pays once. Measured at 2,000 sites
 * and latency 0 (async-download against one server, eight runs each, turns
 * interleaved, req/s): one burst, median 8,500; two, 9,100 (8,100-10,800);
 * four, 10,400 (9,400-12,500); eight, 11,000 (9,100-12,500).
 */
const warmUpBurst = (sites: number) => Math.min(2000, Math.max(100, sites));
const WARM_UP_BURSTS = 4;

async function warmUp(url: string, burst: number): Promise<void> {
  // The path the run takes (a session, downloadSite's handler, a site's body
  // at once), so what V8 compiles here is what the run calls. A fresh
  // session each burst: no connection opened here is used by the run.
  const running = new AbortController().signal;
  for (let round = 0; round < WARM_UP_BURSTS; round++) {
    const session = openSession({ connections: WARM_UP_CONNECTIONS }, running);
    try {
      await downloadTogether(url, burst, session, { timeoutMs: 5_000, signal: running });
    } finally {
      await session.destroy();
    }
  }
  // Let the server finish closing the warm-up's connections before the clock starts.
  await new Promise((resolve) => setTimeout(resolve, 20));
}

/** The notes' `[a, b] * 80`: the list of URLs, `times` times over. */
export function repeat(urls: readonly URL[], times: number): string[] {
  const list = urls.map(String);
  return Array.from({ length: list.length * times }, (_, i) => list[i % list.length]!);
}

export async function embeddedTarget(count: number, workload: Workload): Promise<Target> {
  const server: SitesServer = await startSitesThread(workload);
  return {
    sites: Array.from({ length: count }, (_, n) => server.siteUrl(n)),
    workload,
    perUrl: null,
    description: `sites: embedded server at ${server.origin} (${workload.latencyMs} ms latency, ${workload.bytes} bytes a site)`,
    warmUp: () => warmUp(`${server.origin}${WARM_UP_PATH}`, warmUpBurst(count)),
    resetStats: () => server.resetStats(),
    stats: () => server.stats(),
    close: () => server.close(),
  };
}

/**
 * One call to a sites server's own routes (/stats, /stats/reset), through
 * node:http. Not fetch(): fetch is a second copy of undici inside Node, and
 * its first call before the clock loaded and compiled it there, leaving V8's
 * background threads busy with it during the run (measured at 2,000 sites and
 * latency 0: one of them at 100-120 ms of CPU in a 200 ms run, 9,500-9,700
 * req/s; without it, 20-30 ms each). The calls share one kept-alive
 * connection, opened before the counters are reset, so the server counts
 * only the run's connections.
 */
function askServer(
  agent: HttpAgent,
  origin: string,
  method: 'GET' | 'POST',
  path: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const call = request(`${origin}${path}`, { method, agent }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () =>
        (response.statusCode ?? 0) < 300
          ? resolve(body)
          : reject(new Error(`${method} ${path}: HTTP ${response.statusCode}`)),
      );
      response.on('error', reject);
    });
    call.on('error', reject);
    call.end();
  });
}

/** A sites server started elsewhere (`pnpm sites`, or the matrix): its counters are read over HTTP. */
export async function remoteTarget(base: URL, count: number): Promise<Target> {
  const origin = base.origin;
  const agent = new HttpAgent({ keepAlive: true, maxSockets: 1 });
  const ask = (method: 'GET' | 'POST', path: string) => askServer(agent, origin, method, path);
  const reset = await ask('POST', '/stats/reset').then(
    () => true,
    () => false,
  );
  if (!reset) {
    agent.destroy();
    throw new Error(`no sites server answers at ${origin}`);
  }
  const readStats = async () =>
    JSON.parse(await ask('GET', '/stats')) as SitesStats & { workload: Workload };
  const { workload } = await readStats();
  return {
    sites: Array.from({ length: count }, (_, n) => `${origin}/site/${n}`),
    workload,
    perUrl: null,
    description: `sites: server at ${origin} (${workload.latencyMs} ms latency, ${workload.bytes} bytes a site)`,
    warmUp: () => warmUp(`${origin}${WARM_UP_PATH}`, warmUpBurst(count)),
    resetStats: async () => void (await ask('POST', '/stats/reset')),
    stats: readStats,
    close: async () => agent.destroy(),
  };
}

export function urlTarget(urls: readonly URL[], times: number): Target {
  const sites = repeat(urls, times);
  const perUrl = new Map<string, number>();
  for (const url of sites) perUrl.set(url, (perUrl.get(url) ?? 0) + 1);
  const each = [...perUrl].map(([url, n]) => `${url} x${n}`).join(', ');
  return {
    sites,
    workload: null,
    perUrl,
    description: `sites: ${sites.length} download${sites.length === 1 ? '' : 's'}: ${each}`,
    warmUp: async () => {},
    resetStats: async () => {},
    stats: async () => null,
    close: async () => {},
  };
}

/** Pick the target the flags ask for (the embedded server unless --server or --url). */
export async function openTarget(
  values: Parameters<typeof workloadFrom>[0] & {
    sites: number | undefined;
    url: URL[];
    server: URL[];
    repeat: number;
  },
): Promise<Target> {
  const workload = workloadFrom(values);
  checkCombinations(values);
  const count = values.sites ?? DEFAULT_SITES;
  const [server] = values.server;
  if (server) return remoteTarget(server, count);
  if (values.url.length > 0) return urlTarget(values.url, values.repeat);
  return embeddedTarget(count, workload);
}
