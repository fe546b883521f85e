// One member of the pool, run as a worker thread (--pool threads) or as a
// child process (--pool processes). Like the notes' thread_local session,
// each member has a connection of its own that it reuses for every site it
// is given. It downloads one site at a time and answers with the result.
import { parentPort } from 'node:worker_threads';
import { downloadSite, type SiteResult } from '@lab/download';
import { Agent } from 'undici';
import { type Job, READY } from './protocol.ts';

// This member's own Session: one kept-alive connection per host.
const session = new Agent({ connections: 1 });
// The pool stops a member by ending it, so a download here is never cancelled midway.
const running = new AbortController().signal;

const download = ({ url, timeoutMs }: Job) =>
  downloadSite(url, session, { timeoutMs, signal: running });

// READY first, so the pool can tell start-up time from download time.
if (parentPort) {
  const port = parentPort;
  port.on('message', async (job: Job) => port.postMessage(await download(job)));
  port.postMessage(READY);
} else if (process.send) {
  process.on('message', async (job: Job) =>
    process.send?.((await download(job)) satisfies SiteResult),
  );
  process.send(READY);
  // When the pool lets go of this process, close the session so it can exit.
  process.on('disconnect', () => void session.close());
} else {
  throw new Error('site-worker.ts runs only as a worker thread or a forked process');
}
