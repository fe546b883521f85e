// What the thread pool and the process pool share: handing out one site at a
// time to whichever member is free, like ThreadPoolExecutor.map. A member
// works on at most one site, so at most `size` sites are in flight, ever.
//
// A member that dies takes only its current site with it: that site is
// reported failed, naming the member's exit, and the others carry on. When
// the run is cancelled, every member is ended and its site counted cancelled.
// The pool resolves only after every member has exited: nothing outlives it.
import { CANCELLED, type DownloadHooks, type SiteResult } from '@lab/download';
import { stopwatch } from '@lab/harness';
import { type Job, READY } from './protocol.ts';

/** One thread or process, as the pool sees it. */
export interface Member {
  send(job: Job): void;
  /** Let the member finish and exit. */
  release(): void;
  /** End it now. */
  kill(): void;
}

export interface MemberEvents {
  /** A message from the member: READY once it has started, then one result per site. */
  message(message: SiteResult | typeof READY): void;
  /** The member is gone; `why` says how, e.g. "exit code 1". */
  exit(why: string): void;
}

export function runPool(
  sites: string[],
  size: number,
  start: (events: MemberEvents) => Member,
  hooks: DownloadHooks,
): Promise<SiteResult[]> {
  return new Promise((resolve) => {
    const results: SiteResult[] = [];
    let next = 0;
    let alive = 0;
    let starting = 0;
    const clock = stopwatch();

    const record = (result: SiteResult) => {
      results.push(result);
      hooks.onResult(result);
    };
    const members: Member[] = [];
    const onAbort = () => {
      for (const member of members) member.kill();
    };
    hooks.signal.addEventListener('abort', onAbort, { once: true });

    const spawn = () => {
      let current: string | null = null;
      let gone = false;
      const member: Member = start({
        message(message) {
          if (message === READY) {
            // Start-up is over when the last member is ready for work.
            starting -= 1;
            if (starting === 0) hooks.measured({ startupMs: clock.elapsedMs() });
            return feed();
          }
          current = null;
          record(message);
          feed();
        },
        exit(why) {
          // A thread that throws reports 'error' and then 'exit': count it once.
          if (gone) return;
          gone = true;
          if (current !== null) {
            const error = hooks.signal.aborted ? CANCELLED : `worker died (${why})`;
            record({ url: current, ok: false, bytes: 0, error });
          }
          current = null;
          alive -= 1;
          if (alive === 0) done();
        },
      });
      const feed = () => {
        const url = sites[next];
        if (hooks.signal.aborted || url === undefined) return member.release();
        next += 1;
        current = url;
        member.send({ url, timeoutMs: hooks.timeoutMs });
      };
      members.push(member);
      alive += 1;
      starting += 1;
    };

    const done = () => {
      hooks.signal.removeEventListener('abort', onAbort);
      // Sites nobody got to: every member died first, or the run was cancelled.
      const why = hooks.signal.aborted ? CANCELLED : 'no worker left to download it';
      for (const url of sites.slice(next)) record({ url, ok: false, bytes: 0, error: why });
      resolve(results);
    };

    const count = Math.min(size, sites.length);
    if (count === 0) return resolve(results);
    for (let i = 0; i < count; i++) spawn();
  });
}
