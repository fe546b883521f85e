// The messages between the pool and its members (threads or processes).
// Pool to member: a Job. Member to pool: READY once, then one SiteResult per Job.

export const READY = 'ready';

export interface Job {
  url: string;
  timeoutMs: number;
}
