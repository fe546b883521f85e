// How much the sites server costs: its rate against a minimal node:http
// server that answers at once, both on a worker thread, measured by the same
// client in the same run. The client is the one that exposed the cost: one
// request at a time over one kept-alive connection (sync-download's), where
// every microsecond the server spends is a microsecond the client waits.
// The two servers take turns request by request, so a noisy neighbour on a
// shared machine slows both rather than one.
//
//   pnpm --filter @lab/sites bench [-- --requests 2000 --rounds 3 --json]
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { median, option, parseOptions, runCli } from '@lab/harness';
import { Agent, request } from 'undici';
import { startSitesThread } from './thread.ts';

export interface ServerBench {
  requests: number;
  rounds: number;
  /** Requests per second: one over the median time of a request, each server's. */
  sitesPerSec: number;
  minimalPerSec: number;
  /** sitesPerSec / minimalPerSec: 1 means the sites server costs nothing extra. */
  ratio: number;
}

async function startMinimalThread(bytes: number) {
  const worker = new Worker(new URL('./minimal-thread.ts', import.meta.url), {
    workerData: { bytes },
  });
  const [{ origin }] = (await once(worker, 'message')) as [{ origin: string }];
  return {
    origin,
    close: async () => {
      worker.postMessage('close');
      await once(worker, 'exit');
    },
  };
}

/** A client of one server: one connection, one request at a time, each timed. */
function client(origin: string) {
  const agent = new Agent({ connections: 1 });
  let n = 0;
  return {
    /** One request, start to last byte, in ms. */
    async get(): Promise<number> {
      const start = performance.now();
      const { body } = await request(`${origin}/site/${n++ % 1000}`, { dispatcher: agent });
      await body.dump();
      return performance.now() - start;
    },
    close: () => agent.close(),
  };
}

export async function benchServers(
  requests = 2000,
  rounds = 3,
  bytes = 10240,
): Promise<ServerBench> {
  const sites = await startSitesThread({ latencyMs: 0, bytes });
  const minimal = await startMinimalThread(bytes);
  const toSites = client(sites.origin);
  const toMinimal = client(minimal.origin);
  try {
    // Warm both connections and the JIT.
    for (let n = 0; n < 200; n++) await Promise.all([toSites.get(), toMinimal.get()]);
    // The two servers take turns request by request, the first of each pair
    // alternating: a slow stretch of the machine (a neighbour, a collection,
    // a thread moved to a busy core) slows both alike, and the medians leave
    // the outliers out. Rounds of whole runs in turns measured the same two
    // servers at anything from 0.58 to 1.42 of each other here.
    const sitesMs: number[] = [];
    const minimalMs: number[] = [];
    for (let n = 0; n < requests * rounds; n++) {
      if (n % 2 === 0) {
        sitesMs.push(await toSites.get());
        minimalMs.push(await toMinimal.get());
      } else {
        minimalMs.push(await toMinimal.get());
        sitesMs.push(await toSites.get());
      }
    }
    const sitesPerSec = 1000 / median(sitesMs);
    const minimalPerSec = 1000 / median(minimalMs);
    return {
      requests,
      rounds,
      sitesPerSec: Math.round(sitesPerSec),
      minimalPerSec: Math.round(minimalPerSec),
      ratio: Math.round((sitesPerSec / minimalPerSec) * 1000) / 1000,
    };
  } finally {
    await Promise.all([toSites.close(), toMinimal.close()]);
    await Promise.all([sites.close(), minimal.close()]);
  }
}

if (import.meta.main) {
  runCli('sites-bench', async () => {
    const values = parseOptions(
      process.argv.slice(2),
      {
        requests: option.int('requests per round, to each server', { default: 2000, min: 1 }),
        rounds: option.int(
          'rounds of --requests to each server, taken request by request in turns',
          {
            default: 3,
            min: 1,
            max: 100,
          },
        ),
        json: option.flag('print one JSON object'),
      },
      'Usage: pnpm --filter @lab/sites bench [-- options]\nThe sites server against a minimal node:http server, one request at a time.',
    );
    const result = await benchServers(values.requests, values.rounds);
    if (values.json) console.log(JSON.stringify(result));
    else {
      console.log(
        `one request at a time over one connection, the two in turns, the median of ${result.rounds * result.requests} each:`,
      );
      console.log(`  minimal node:http server  ${result.minimalPerSec} req/s`);
      console.log(
        `  sites server              ${result.sitesPerSec} req/s (${result.ratio} of minimal)`,
      );
    }
    return 0;
  });
}
