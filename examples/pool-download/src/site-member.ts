// One member of the pool, run as a worker thread (--pool threads) or as a
// child process (--pool processes). Like the notes' thread_local session,
// each member has a connection of its own that it reuses for every site it
// is given. It downloads one site at a time and answers with the result.
import { downloadSite, type SiteResult } from '@lab/download/download-site';
import { serve } from '@lab/pool/member';
import { Agent } from 'undici';
import type { Job } from './protocol.ts';

// This member's own Session: one kept-alive connection per host.
const session = new Agent({ connections: 1 });
// The pool stops a member by ending it, so a download here is never cancelled midway.
const running = new AbortController().signal;

serve<Job, SiteResult>(
  ({ url, timeoutMs }) => downloadSite(url, session, { timeoutMs, signal: running }),
  {
    // When the pool lets the member go, close the session so it can exit.
    onStop: () => session.close(),
  },
);
