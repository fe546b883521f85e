// The pool as worker threads: the notes' ThreadPoolExecutor, with real
// threads.
//
//   pnpm --filter pool-download exec node src/thread-pool.ts
//
// Each member is `new Worker(file)`: an isolate of its own inside this
// process, with its own event loop and its own connection (the notes'
// thread_local session, in thread-pool-worker.ts). The main thread hands
// one site at a time to whichever member is free, as executor.map does, so
// at most `maxWorkers` sites are in flight, ever. A member says "ready" once
// it has loaded, then answers each site with its result.
//
// A member that dies takes only its current site with it: that site fails,
// naming the member's exit, and the others carry on. Every member has
// exited before this returns: nothing outlives the pool.
import { Worker } from 'node:worker_threads';
import {
  DEFAULT_TIMEOUT_MS,
  printDownloads,
  type SiteResult,
  threadedSummary,
} from '@lab/download';

export interface PoolOptions {
  /** max_workers: one thread each. */
  maxWorkers?: number;
  /** Each site's deadline, handed to every member's session. */
  timeoutMs?: number;
  /** The member's code. */
  workerFile?: URL;
}

const failed = (url: string, error: string): SiteResult => ({ url, ok: false, bytes: 0, error });

export async function downloadAllSites(
  sites: string[],
  {
    maxWorkers = 5,
    timeoutMs = DEFAULT_TIMEOUT_MS,
    workerFile = new URL('./thread-pool-worker.ts', import.meta.url),
  }: PoolOptions = {},
): Promise<SiteResult[]> {
  const results: SiteResult[] = new Array(sites.length);
  let next = 0;
  const member = () =>
    new Promise<void>((resolve) => {
      const worker = new Worker(workerFile, { workerData: { timeoutMs } });
      let current = -1;
      let threw: string | undefined;
      // "ready", or the result of the site it was given: either way, it is free.
      worker.on('message', (message: SiteResult | 'ready') => {
        if (message !== 'ready') results[current] = message;
        current = next < sites.length ? next++ : -1;
        // "stop": no site left, close your session and go.
        worker.postMessage(current >= 0 ? sites[current] : 'stop');
      });
      // An uncaught exception ends the thread: 'error' comes first, then 'exit'.
      worker.on('error', (error) => (threw = `threw: ${error.message}`));
      worker.on('exit', (code) => {
        if (current >= 0 && results[current] === undefined)
          results[current] = failed(
            sites[current]!,
            `thread died (${threw ?? `exit code ${code}`})`,
          );
        resolve();
      });
    });
  await Promise.all(Array.from({ length: Math.min(maxWorkers, sites.length) }, member));
  // Every member died before these sites' turn.
  for (let n = next; n < sites.length; n++)
    results[n] = failed(sites[n]!, 'no thread left to run it');
  return results;
}

if (import.meta.main) {
  await printDownloads((sites) => downloadAllSites(sites, { maxWorkers: 5 }), {
    summary: threadedSummary,
  });
}
