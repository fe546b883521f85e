// What the thread pool and the process pool share: @lab/pool hands out one
// site at a time to whichever member is free, like ThreadPoolExecutor.map. A
// member works on at most one site, so at most `concurrency` sites are in
// flight, ever.
//
// A member that dies takes only its current site with it: that site is
// reported failed, naming the member's exit, and the others carry on. When
// the run is cancelled, every member is ended and its site counted
// cancelled. The pool is closed before this returns: nothing outlives it.
import { CANCELLED, type DownloadContext, type SiteResult } from '@lab/download';
import { type MemberKind, startPool } from '@lab/pool';
import type { Job } from './protocol.ts';

export interface MemberPoolOptions extends DownloadContext {
  /** Most downloads at once (max_workers): one member each. */
  concurrency: number;
  /** The member's code; tests swap in one that misbehaves. */
  memberFile?: URL;
}

/**
 * The most members a pool may start: each is a thread or a process of its
 * own, started before any site. Ten threads peaked at 415 MB and started in
 * 0.7 s here (sixteen: 567 MB; 32: 950 MB and 2.2 s); ten processes are
 * about 50 MB each besides this one.
 */
export const MAX_MEMBERS = 10;

const siteMember = new URL('./site-member.ts', import.meta.url);

export async function downloadOnMembers(
  kind: MemberKind,
  sites: string[],
  options: MemberPoolOptions,
): Promise<SiteResult[]> {
  const failed = (url: string, why: string, cancelled: boolean): SiteResult => ({
    url,
    ok: false,
    bytes: 0,
    error: cancelled ? CANCELLED : why,
  });
  if (sites.length === 0) return [];
  const pool = await startPool<Job, SiteResult>({
    kind,
    file: options.memberFile ?? siteMember,
    size: Math.min(options.concurrency, sites.length),
    signal: options.signal,
  }).catch((error: Error) => {
    // Cancelled while the members were starting: no site was begun.
    if (options.signal.aborted) return null;
    throw error;
  });
  if (pool === null) return sites.map((url) => failed(url, CANCELLED, true));
  try {
    options.measured({ startupMs: pool.startupMs });
    const jobs = sites.map((url) => ({ url, timeoutMs: options.timeoutMs }));
    const { results } = await pool.map(jobs, {
      onResult: (result) => options.onResult(result),
      fallback: ({ url }, why, cancelled) => failed(url, why, cancelled),
    });
    return results;
  } finally {
    await pool.close();
  }
}
