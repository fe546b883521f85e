// @lab/download: what the three download examples share, so that each of
// them holds only the lines that carry its kind of concurrency.

export type { DownloadContext } from './context.ts';
export type { SiteOptions, SiteResult, SiteTimes } from './download-site.ts';
export { downloadSite, epochNow } from './download-site.ts';
export { CANCELLED } from './failure.ts';
export type { DownloadValues } from './options.ts';
export { checkDownloadOptions, downloadOptions } from './options.ts';
export { closeSession, openSession, type Session } from './session.ts';
export type { DownloadVariant } from './strategy.ts';
export { downloadFamily, downloads } from './strategy.ts';
export type { Target } from './target.ts';
export { openTarget, repeat } from './target.ts';
export type { Timeline } from './timeline.ts';
