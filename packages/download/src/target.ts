// Where the sites come from: the embedded server (the default), a sites
// server already running (--server), or real URLs (--url, each once unless
// --repeat N). A Target holds the list of URLs, warmed up before the clock,
// and the server's counters when there is a server to ask.

import { Agent as HttpAgent, request } from 'node:http';
import {
  type SitesServer,
  type SitesStats,
  startSitesThread,
  WARM_UP_PATH,
  type Workload,
} from '@lab/sites';
import { downloadSite } from './download-site.ts';
import { DEFAULT_SITES, type DownloadValues, workloadOf } from './options.ts';
import { Session } from './session.ts';

export interface Target extends AsyncDisposable {
  /** Every URL to download, in order; repeats are downloaded again. */
  sites: string[];
  /** The workload when it is known (embedded or --server), for the ideal-time model. */
  workload: Workload | null;
  /** Lines saying where the sites are, and what was done before the clock. */
  heading: string[];
  /** For --url: each distinct URL and how many downloads of it the list holds. */
  perUrl: Map<string, number> | null;
  /** Zero the server's counters (when there is a server): the last step before the clock. */
  resetStats(): Promise<void>;
  /** The server's counters since resetStats(), when there is a server to ask. */
  stats(): Promise<SitesStats | null>;
}

/**
 * The warm-up: what a benchmark does before it times anything, the same
 * work a number of times first. undici compiles its HTTP parser
 * (WebAssembly) on first use, and V8 compiles the request path to fast
 * code only once it has run often enough, and sizes its heap to the bursts
 * it has seen; that is start-up, like Python's `import requests` before its
 * start_time, not downloading. The same downloadSite() as the run, in
 * bursts shaped like it (the run's number of sites, at most 2,000, all at
 * once on 100 connections), on a session of their own closed before the
 * clock; a sites server's /warm-up answers at once and counts nothing.
 * Real sites (--url) are never warmed up.
 *
 * How much (all at once, 2,000 sites, latency 0, seven runs each,
 * interleaved, on a 2-core machine): 2,000 downloads 100 at a time, a
 * median 9,100 requests a second; four bursts of 2,000 at once, 10,900.
 */
export const WARM_UP = { bursts: 4, atMost: 2000, connections: 100 };

async function warmUp(origin: string, sites: number): Promise<void> {
  const url = `${origin}${WARM_UP_PATH}`;
  const burst = Math.min(sites, WARM_UP.atMost);
  for (let n = 0; n < WARM_UP.bursts; n++) {
    const session = new Session({ connections: WARM_UP.connections, timeoutMs: 5_000 });
    try {
      await Promise.all(Array.from({ length: burst }, () => downloadSite(url, session)));
    } finally {
      await session.destroy();
    }
  }
  // Let the server finish closing the warm-up's connections before the clock starts.
  await new Promise((resolve) => setTimeout(resolve, 20));
}

const warmUpLine = (sites: number) =>
  `warm-up: ${WARM_UP.bursts} bursts of ${Math.min(sites, WARM_UP.atMost)} downloads at once before the clock, on connections of their own`;

/** The notes' `[a, b] * 80`: the list of URLs, `times` times over. */
export function repeat(urls: readonly URL[], times: number): string[] {
  const list = urls.map(String);
  return Array.from({ length: list.length * times }, (_, i) => list[i % list.length]!);
}

export async function embeddedTarget(count: number, workload: Workload): Promise<Target> {
  const server: SitesServer = await startSitesThread(workload);
  try {
    await warmUp(server.origin, count);
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    sites: Array.from({ length: count }, (_, n) => server.siteUrl(n)),
    workload,
    perUrl: null,
    heading: [
      `sites: embedded server at ${server.origin} (${workload.latencyMs} ms latency, ${workload.bytes} bytes a site)`,
      warmUpLine(count),
    ],
    resetStats: () => server.resetStats(),
    stats: () => server.stats(),
    [Symbol.asyncDispose]: () => server.close(),
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
  await warmUp(origin, count).catch(() => {});
  return {
    sites: Array.from({ length: count }, (_, n) => `${origin}/site/${n}`),
    workload,
    perUrl: null,
    heading: [
      `sites: server at ${origin} (${workload.latencyMs} ms latency, ${workload.bytes} bytes a site)`,
      warmUpLine(count),
    ],
    resetStats: async () => void (await ask('POST', '/stats/reset')),
    stats: readStats,
    [Symbol.asyncDispose]: async () => agent.destroy(),
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
    heading: [`sites: ${sites.length} download${sites.length === 1 ? '' : 's'}: ${each}`],
    resetStats: async () => {},
    stats: async () => null,
    [Symbol.asyncDispose]: async () => {},
  };
}

/**
 * Open the target the flags ask for (the embedded server unless --server or
 * --url), warmed up: the download family's `prepare`. The harness disposes
 * of it after the runs.
 */
export async function openTarget(values: DownloadValues): Promise<Target> {
  const count = values.sites ?? DEFAULT_SITES;
  const [server] = values.server;
  if (server) return remoteTarget(server, count);
  if (values.url.length > 0) return urlTarget(values.url, values.repeat);
  return embeddedTarget(count, workloadOf(values));
}
