// @lab/sites: the embedded "slow sites" server every download example uses by
// default, and the workload description it shares with its nock twin
// ('@lab/sites/nock', for tests).

export { NOTES_SITES, sitesOf } from './list.ts';
export type { RequestRecord, SitesServer, SitesServerOptions, SitesStats } from './server.ts';
export { startSitesServer } from './server.ts';
export { startSitesThread } from './thread.ts';
export type { Fault, Faults, Workload } from './workload.ts';
export {
  bodyOf,
  DEFAULT_WORKLOAD,
  FAULT_KINDS,
  faultFor,
  faultSharesProblem,
  latencyFor,
  NO_FAULTS,
  siteNumber,
  sitePath,
  TRICKLE_INTERVAL_MS,
  WARM_UP_PATH,
} from './workload.ts';
