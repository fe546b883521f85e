// What a download strategy is handed besides its list of sites: the run's
// settings and the two ways it talks back to the run.
import type { SiteResult } from './download-site.ts';

export interface DownloadContext {
  /** The deadline for each site's whole download, from the call. */
  timeoutMs: number;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
  /** Called once per site as its result arrives (progress, --verbose). */
  onResult(result: SiteResult): void;
  /** Add measured fields of the strategy's own to the record, e.g. { startupMs }. */
  measured(fields: Record<string, number>): void;
}
