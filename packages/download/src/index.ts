// @lab/download: what the three download examples share: the notes'
// download_site(), the session, and the measuring around a lesson's call.

export type { SiteResult } from './download-site.ts';
export { downloadSite } from './download-site.ts';
export { CANCELLED } from './failure.ts';
export type { DownloadValues } from './options.ts';
export { checkDownloadOptions, downloadOptions } from './options.ts';
export { type PrintOptions, printDownloads, threadedSummary } from './print-downloads.ts';
export { DEFAULT_TIMEOUT_MS, openSession, Session, type SessionOptions } from './session.ts';
export { measureBareStartup } from './startup.ts';
export type { DownloadStrategy, Measured } from './strategy.ts';
export { downloadFamily, downloads } from './strategy.ts';
export type { Target } from './target.ts';
export { openTarget, repeat } from './target.ts';
export type { Timeline } from './timeline.ts';
