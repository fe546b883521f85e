// @lab/download: what the three download examples share, so that each of
// them holds only the lines that carry its kind of concurrency.

export type { DownloadContext, DownloadHooks } from './context.ts';
export type { SiteOptions, SiteResult, SiteTimes } from './download-site.ts';
export { CANCELLED, downloadSite, downloadTogether, epochNow } from './download-site.ts';
export { downloadOptions } from './options.ts';
export type { Timeline } from './report.ts';
export type { DownloadVariant } from './run.ts';
export { runDownloads } from './run.ts';
export { closeSession, openSession } from './session.ts';
export { repeat } from './target.ts';
