// The pool as worker threads: the notes' ThreadPoolExecutor, with real
// threads. Each member is an isolate of its own inside this process, with its
// own event loop and its own connection (the notes' thread_local session);
// the main thread only hands out sites and collects results.
import type { SiteResult } from '@lab/download';
import { downloadOnMembers, type MemberPoolOptions } from './member-pool.ts';

export async function downloadAllSites(
  sites: string[],
  options: MemberPoolOptions,
): Promise<SiteResult[]> {
  return downloadOnMembers('thread', sites, options);
}
