// The part of every download example's main() that is not the lesson: open
// the target (target.ts), run the strategy with the clock around it, then
// hand what was measured to report.ts and close everything so the process
// can exit. Every number printed is measured here, in this run.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createProgress, type OptionValues, printReport } from '@lab/harness';
import type { DownloadContext } from './context.ts';
import { epochNow, type SiteResult } from './download-site.ts';
import type { downloadOptions } from './options.ts';
import {
  buildReport,
  descriptorsAdvice,
  failureLines,
  outcomeOf,
  requestTimes,
  summaryColumns,
  timelineOf,
} from './report.ts';
import { settleSessions } from './session.ts';
import { openTarget } from './target.ts';

export interface DownloadVariant {
  example: string;
  strategy: string;
  /** The ideal-time model for this strategy: n sites at latency L, and what the run measured (e.g. startupMs). */
  idealMs(sites: number, latencyMs: number, measured: Record<string, number>): number;
  /**
   * Done before the clock, after the warm-up, with the run's sites and
   * signal; returns measured fields for the record: e.g. how long bare pool
   * members take to start, or how many connections were opened ahead.
   */
  beforeClock?(sites: readonly string[], signal: AbortSignal): Promise<Record<string, number>>;
  /** The lesson: download every site. */
  downloadAllSites(sites: string[], context: DownloadContext): Promise<SiteResult[]>;
  /** Fields of the variant's own for the record, e.g. { concurrency: 5 }. */
  fields?: Record<string, unknown>;
  /** The flag that bounds its connections, named when the OS runs out of descriptors. */
  connectionsFlag?: string;
  /** Print the all-at-once timeline: connections, last request written, first and last answer. */
  timeline?: boolean;
}

type Values = OptionValues<typeof downloadOptions>;

/** When each connection of this thread's undici opened, while recording. */
function recordConnections() {
  const at: number[] = [];
  const onConnected = () => void at.push(epochNow());
  subscribe('undici:client:connected', onConnected);
  return { at, stop: () => unsubscribe('undici:client:connected', onConnected) };
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
    const context: DownloadContext = {
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
    Object.assign(measured, await variant.beforeClock?.(target.sites, signal));
    await target.resetStats();

    const connections = recordConnections();
    const cpuBefore = process.cpuUsage();
    const threadBefore = process.threadCpuUsage();
    const startedAt = epochNow();
    const start = performance.now();
    const results = await variant.downloadAllSites(target.sites, context);
    const wallMs = performance.now() - start;
    const cpu = process.cpuUsage(cpuBefore);
    const thread = process.threadCpuUsage(threadBefore);
    connections.stop();
    progress.stop();
    await settleSessions();

    const outcome = outcomeOf(target.sites.length, results);
    for (const line of failureLines(outcome.failures)) console.error(line);
    const stats = await target.stats();
    const advice = descriptorsAdvice(outcome.failures, stats, variant.connectionsFlag);
    if (advice) console.error(`${variant.example}: ${advice}`);
    const latency = target.workload?.latencyMs;
    const report = buildReport({
      example: variant.example,
      strategy: variant.strategy,
      outcome,
      bytes: results.reduce((sum, r) => sum + r.bytes, 0),
      wallMs,
      // A cancelled run has no ideal to compare with: it did not do the work.
      idealMs:
        latency === undefined || outcome.cancelled > 0
          ? null
          : variant.idealMs(target.sites.length, latency, measured),
      fields: { ...variant.fields, ...measured },
      cpu: {
        processMs: (cpu.user + cpu.system) / 1000,
        threadMs: (thread.user + thread.system) / 1000,
      },
      stats,
      requests: requestTimes(results, startedAt),
      timeline: variant.timeline ? timelineOf(results, startedAt, connections.at) : null,
      perUrl: target.perUrl,
      results,
    });
    printReport(report, values.json, { columns: summaryColumns(report.results[0]!) });
    return outcome.failures.length + outcome.cancelled > 0 ? 1 : 0;
  } finally {
    await target.close();
  }
}
