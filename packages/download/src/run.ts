// The part of every download example's main() that is not the lesson: pick
// the target, start the embedded server, time the run, report failures by
// URL, print the summary, and close everything so the process can exit.
import {
  createProgress,
  formatBytes,
  formatMs,
  makeReport,
  type OptionValues,
  printReport,
  timed,
  UsageError,
} from '@lab/harness';
import type { Workload } from '@lab/sites';
import { workloadFrom } from '@lab/sites/options';
import { CANCELLED, type SiteResult } from './download-site.ts';
import type { downloadOptions } from './options.ts';
import { embeddedTarget, remoteTarget, type Target, urlTarget } from './sites.ts';

/** What every variant's downloadAllSites() is handed, besides the list of sites. */
export interface DownloadHooks {
  timeoutMs: number;
  signal: AbortSignal;
  /** Called once per site as its result arrives (progress, --verbose). */
  onResult(result: SiteResult): void;
  /** Add measured fields of the variant's own to the record, e.g. { startupMs }. */
  measured(fields: Record<string, number>): void;
}

export interface DownloadVariant {
  example: string;
  strategy: string;
  /** The ideal-time model for this strategy: n sites at latency L. */
  idealMs(sites: number, latencyMs: number): number;
  /** The lesson: download every site. */
  downloadAllSites(sites: string[], hooks: DownloadHooks): Promise<SiteResult[]>;
  /** Fields of the variant's own for the record, e.g. { concurrency: 5 }. */
  fields?: Record<string, unknown>;
}

type Values = OptionValues<typeof downloadOptions>;

async function openTarget(values: Values): Promise<Target> {
  const workload: Workload = workloadFrom(values);
  const { error, reset, stall } = workload.faults;
  if (error + reset + stall > 1) {
    throw new UsageError(`the fault shares add up to ${error + reset + stall}, more than 1`);
  }
  if (values.url.length > 0 && values.server.length > 0) {
    throw new UsageError('--url and --server cannot be used together');
  }
  if (values.server.length > 1) throw new UsageError('--server takes one URL');
  const [server] = values.server;
  if (server) return remoteTarget(server, values.sites);
  if (values.url.length > 0) return urlTarget(values.url, values.sites);
  return embeddedTarget(values.sites, workload);
}

/** Run one download variant end to end; returns the exit code (1 if any site failed). */
export async function runDownloads(
  values: Values,
  variant: DownloadVariant,
  signal: AbortSignal,
): Promise<number> {
  const target = await openTarget(values);
  try {
    if (!values.json) console.log(target.description);
    const progress = createProgress({
      total: target.sites.length,
      label: 'sites',
      json: values.json,
    });
    const measured: Record<string, number> = {};
    const hooks: DownloadHooks = {
      timeoutMs: values.timeout,
      signal,
      measured: (fields) => Object.assign(measured, fields),
      onResult(result) {
        progress.tick(1, result.ok ? 0 : 1);
        if (values.verbose && !values.json && result.ok) {
          console.log(`Read ${result.bytes} from ${result.url}`);
        }
      },
    };
    await target.warmUp();
    const { value: results, wallMs } = await timed(() =>
      variant.downloadAllSites(target.sites, hooks),
    );
    progress.stop();

    // Sites never reached (the run was cancelled first) count as cancelled.
    const cancelled =
      results.filter((r) => r.error === CANCELLED).length + (target.sites.length - results.length);
    const failures = results.filter((r) => !r.ok && r.error !== CANCELLED);
    for (const failure of failures) {
      console.error(`failed: ${failure.url} (${failure.error})`);
    }
    const stats = await target.stats();
    const latency = target.workload?.latencyMs;
    const report = makeReport(variant.example, [
      {
        strategy: variant.strategy,
        items: target.sites.length,
        failed: failures.length + cancelled,
        bytes: results.reduce((sum, r) => sum + r.bytes, 0),
        wallMs,
        // A cancelled run has no ideal to compare with: it did not do the work.
        idealMs:
          latency === undefined || cancelled > 0
            ? null
            : variant.idealMs(target.sites.length, latency),
        ...variant.fields,
        ...measured,
        cancelled,
        peakInFlight: stats?.peakInFlight ?? null,
        connections: stats?.connections ?? null,
        maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      },
    ]);
    printReport(report, values.json, {
      columns: [
        { key: 'peakInFlight', label: 'peak in flight (server)' },
        { key: 'connections', label: 'connections opened' },
        {
          key: 'maxRssMb',
          label: 'peak memory',
          format: (v) => formatBytes(Number(v) * 1024 * 1024),
        },
        ...(cancelled > 0 ? [{ key: 'cancelled', label: 'cancelled' }] : []),
        ...('startupMs' in measured
          ? [
              {
                key: 'startupMs',
                label: 'start-up of the pool',
                format: (v: unknown) => formatMs(Number(v)),
              },
            ]
          : []),
      ],
    });
    return failures.length + cancelled > 0 ? 1 : 0;
  } finally {
    await target.close();
  }
}
