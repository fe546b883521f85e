// @lab/download: what the three download examples share, so that each of
// them holds only the lines that carry its kind of concurrency.

export type { SiteOptions, SiteResult } from './download-site.ts';
export { CANCELLED, downloadSite } from './download-site.ts';
export { downloadOptions } from './options.ts';
export type { DownloadHooks, DownloadVariant } from './run.ts';
export { runDownloads } from './run.ts';
export { closeSession, openSession } from './session.ts';
export { cycle } from './sites.ts';
