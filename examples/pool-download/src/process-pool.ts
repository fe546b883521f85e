// The pool as child processes: the notes' multiprocessing version. Each
// member is a whole Node.js of its own (its own memory, its own event loop,
// its own connection), started with fork() and spoken to over IPC. That
// isolation costs start-up time and memory, which the summary shows.
import type { SiteResult } from '@lab/download';
import { downloadOnMembers, type MemberPoolOptions } from './member-pool.ts';

export async function downloadAllSites(
  sites: string[],
  options: MemberPoolOptions,
): Promise<SiteResult[]> {
  return downloadOnMembers('process', sites, options);
}
