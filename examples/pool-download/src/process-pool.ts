// The pool as child processes: the notes' multiprocessing version. Each
// process is a whole Node.js of its own (its own memory, its own event loop,
// its own connection), started with fork() and spoken to over IPC. That
// isolation costs start-up time and memory, which the summary shows.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DownloadHooks, SiteResult } from '@lab/download';
import { runPool } from './worker-pool.ts';

export interface ProcessPoolOptions extends DownloadHooks {
  concurrency: number;
  /** The member's code; tests swap in one that misbehaves. */
  workerFile?: URL;
}

export async function downloadAllSites(
  sites: string[],
  options: ProcessPoolOptions,
): Promise<SiteResult[]> {
  const file = options.workerFile ?? new URL('./site-worker.ts', import.meta.url);
  return runPool(
    sites,
    options.concurrency,
    (events) => {
      // Node 24 runs the .ts file itself: no loader flags to pass on.
      const child = fork(fileURLToPath(file), [], {
        execArgv: [],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      let exited = false;
      child.on('message', events.message);
      child.on('error', (error) => {
        if (!exited) child.kill();
        events.exit(`failed: ${error.message}`);
      });
      child.on('exit', (code, signal) => {
        exited = true;
        events.exit(signal ? `killed by ${signal}` : `exit code ${code}`);
      });
      return {
        send: (job) => child.send(job),
        release: () => child.connected && child.disconnect(),
        kill: () => void child.kill(),
      };
    },
    options,
  );
}
