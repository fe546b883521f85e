// The pool as child processes: the notes' multiprocessing version.
//
//   pnpm --filter pool-download exec node src/process-pool.ts
//
// Each member is `fork(file)`: a whole Node.js of its own (its own memory,
// its own event loop, its own connection, in process-pool-worker.ts),
// spoken to over IPC. That isolation costs start-up time and memory, which
// the summary shows. The main process hands one site at a time to
// whichever member is free, so at most `maxWorkers` sites are in flight,
// ever. A member says "ready" once it has loaded, then answers each site
// with its result.
//
// A member that dies takes only its current site with it: that site fails,
// naming the member's exit, and the others carry on. Every member has
// exited before this returns: nothing outlives the pool.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_TIMEOUT_MS,
  printDownloads,
  type SiteResult,
  threadedSummary,
} from '@lab/download';

export interface PoolOptions {
  /** max_workers: one process each. */
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
    workerFile = new URL('./process-pool-worker.ts', import.meta.url),
  }: PoolOptions = {},
): Promise<SiteResult[]> {
  const results: SiteResult[] = new Array(sites.length);
  let next = 0;
  const member = () =>
    new Promise<void>((resolve) => {
      const child = fork(fileURLToPath(workerFile), [String(timeoutMs)]);
      let current = -1;
      // "ready", or the result of the site it was given: either way, it is free.
      child.on('message', (message: SiteResult | 'ready') => {
        if (message !== 'ready') results[current] = message;
        current = next < sites.length ? next++ : -1;
        // "stop": no site left, close your session and go.
        if (child.connected) child.send(current >= 0 ? sites[current]! : 'stop');
      });
      const gone = (why: string) => {
        if (current >= 0 && results[current] === undefined)
          results[current] = failed(sites[current]!, `process died (${why})`);
        resolve();
      };
      child.on('exit', (code, signal) =>
        gone(signal ? `killed by ${signal}` : `exit code ${code}`),
      );
      // Without a pid the process never started, and no 'exit' will follow.
      child.on('error', (error) => child.pid === undefined && gone(error.message));
    });
  await Promise.all(Array.from({ length: Math.min(maxWorkers, sites.length) }, member));
  // Every member died before these sites' turn.
  for (let n = next; n < sites.length; n++)
    results[n] = failed(sites[n]!, 'no process left to run it');
  return results;
}

if (import.meta.main) {
  await printDownloads((sites) => downloadAllSites(sites, { maxWorkers: 5 }), {
    summary: threadedSummary,
  });
}
