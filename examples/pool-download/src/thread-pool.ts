// The pool as worker threads: the notes' ThreadPoolExecutor, with real
// threads. Each thread runs site-worker.ts with its own event loop and its
// own connection (the notes' thread_local session); the main thread only
// hands out sites and collects results.
import { Worker } from 'node:worker_threads';
import type { DownloadHooks, SiteResult } from '@lab/download';
import { runPool } from './worker-pool.ts';

export interface ThreadPoolOptions extends DownloadHooks {
  concurrency: number;
  /** The member's code; tests swap in one that misbehaves. */
  workerFile?: URL;
}

export async function downloadAllSites(
  sites: string[],
  options: ThreadPoolOptions,
): Promise<SiteResult[]> {
  const file = options.workerFile ?? new URL('./site-worker.ts', import.meta.url);
  return runPool(
    sites,
    options.concurrency,
    (events) => {
      const thread = new Worker(file);
      thread.on('message', events.message);
      thread.on('error', (error) => events.exit(`threw: ${error.message}`));
      thread.on('exit', (code) => events.exit(`exit code ${code}`));
      return {
        send: (job) => thread.postMessage(job),
        release: () => void thread.terminate(),
        kill: () => void thread.terminate(),
      };
    },
    options,
  );
}
