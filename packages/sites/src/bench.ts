// How much the sites server costs: its rate against a minimal node:http
// server that answers at once, both on a worker thread, measured by the same
// client in the same run. The client is the one that exposed the cost: one
// request at a time over one kept-alive connection (sync-download's), where
// every microsecond the server spends is a microsecond the client waits.
// The two servers take turns, several rounds each, so a noisy neighbour on a
// shared machine slows both rather than one.
//
//   pnpm --filter @lab/sites bench [-- --requests 2000 --rounds 3 --json]
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { option, parseOptions, runCli } from '@lab/harness';
import { Agent, request } from 'undici';
import { startSitesThread } from './thread.ts';

export interface ServerBench {
  requests: number;
  rounds: number;
  /** Requests per second, best round of each. */
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

/** One request at a time over one connection: requests per second. */
async function sequentialRate(origin: string, requests: number): Promise<number> {
  const agent = new Agent({ connections: 1 });
  try {
    const get = async (n: number) => {
      const { body } = await request(`${origin}/site/${n}`, { dispatcher: agent });
      await body.dump();
    };
    for (let n = 0; n < 200; n++) await get(n); // warm the connection and the JIT
    const start = performance.now();
    for (let n = 0; n < requests; n++) await get(n);
    return requests / ((performance.now() - start) / 1000);
  } finally {
    await agent.close();
  }
}

export async function benchServers(
  requests = 2000,
  rounds = 3,
  bytes = 10240,
): Promise<ServerBench> {
  const sites = await startSitesThread({ latencyMs: 0, bytes });
  const minimal = await startMinimalThread(bytes);
  try {
    let sitesBest = 0;
    let minimalBest = 0;
    for (let round = 0; round < rounds; round++) {
      minimalBest = Math.max(minimalBest, await sequentialRate(minimal.origin, requests));
      sitesBest = Math.max(sitesBest, await sequentialRate(sites.origin, requests));
    }
    return {
      requests,
      rounds,
      sitesPerSec: Math.round(sitesBest),
      minimalPerSec: Math.round(minimalBest),
      ratio: Math.round((sitesBest / minimalBest) * 1000) / 1000,
    };
  } finally {
    await Promise.all([sites.close(), minimal.close()]);
  }
}

if (import.meta.main) {
  runCli('sites-bench', async () => {
    const values = parseOptions(
      process.argv.slice(2),
      {
        requests: option.int('requests per round, to each server', { default: 2000, min: 1 }),
        rounds: option.int('rounds (each server takes turns; the best round counts)', {
          default: 3,
          min: 1,
          max: 100,
        }),
        json: option.flag('print one JSON object'),
      },
      'Usage: pnpm --filter @lab/sites bench [-- options]\nThe sites server against a minimal node:http server, one request at a time.',
    );
    const result = await benchServers(values.requests, values.rounds);
    if (values.json) console.log(JSON.stringify(result));
    else {
      console.log(
        `one request at a time over one connection, best of ${result.rounds} rounds of ${result.requests}:`,
      );
      console.log(`  minimal node:http server  ${result.minimalPerSec} req/s`);
      console.log(
        `  sites server              ${result.sitesPerSec} req/s (${result.ratio} of minimal)`,
      );
    }
    return 0;
  });
}
