// A download variant as a runExample strategy: the part of every download
// main that is not the lesson. Before the clock: the variant's own
// preparation (connections opened ahead, a pool's bare start-up) and the
// server's counters zeroed. On the clock (the harness's): the variant's
// downloadAllSites(), with the CPU and undici's diagnostics channels
// recorded around it. After it: the sessions' sockets closed, the server's
// counters read, failures named on stderr, and the record. Every number
// printed is measured here, in this run.
import { createProgress, type Report, type Strategy } from '@lab/harness';
import type { DownloadContext } from './context.ts';
import { epochNow, type SiteResult } from './download-site.ts';
import { checkDownloadOptions } from './options.ts';
import {
  descriptorsAdvice,
  failureLines,
  outcomeOf,
  recordOf,
  requestTimes,
  summaryColumns,
} from './report.ts';
import { settleSessions } from './session.ts';
import { openTarget, type Target } from './target.ts';
import { recordTimeline, type Timeline } from './timeline.ts';

export interface DownloadVariant {
  /** The strategy's name in the record. */
  name: string;
  /** The ideal-time model: n sites at latency L, and what the run measured (e.g. startupMs). */
  idealMs(sites: number, latencyMs: number, measured: Record<string, number>): number;
  /** Untimed, before the clock, with the run's sites: returns measured fields for the record. */
  beforeClock?(
    sites: readonly string[],
    signal: AbortSignal,
  ): Promise<Record<string, number | undefined>>;
  /** The lesson: download every site. */
  downloadAllSites(sites: string[], context: DownloadContext): Promise<SiteResult[]>;
  /** Fields of the variant's own for the record, e.g. { concurrency: 5 }. */
  fields?: Record<string, unknown>;
  /** The flag that bounds its connections, named when the OS runs out of descriptors. */
  connectionsFlag?: string;
  /** Record the all-at-once timeline: connections, last request written, first and last answer. */
  timeline?: boolean;
}

interface Settings {
  json: boolean;
  verbose: boolean;
  timeout: number;
}

/** The strategy that runs `variant` over the target's sites. */
export function downloads(values: Settings, target: Target, variant: DownloadVariant): Strategy {
  const measured: Record<string, number> = {};
  const measure = (fields: Record<string, number | undefined> = {}) => {
    for (const [key, value] of Object.entries(fields))
      if (value !== undefined) measured[key] = value;
  };
  let results: SiteResult[] = [];
  let startedAt = 0;
  let timeline: Timeline | null = null;
  let cpu = { processMs: 0, threadMs: 0 };
  return {
    name: variant.name,
    async before({ signal }) {
      measure(await variant.beforeClock?.(target.sites, signal));
      await target.resetStats();
    },
    async run({ signal, log }) {
      const progress = createProgress({
        total: target.sites.length,
        label: 'sites',
        json: values.json,
      });
      const context: DownloadContext = {
        timeoutMs: values.timeout,
        signal,
        measured: measure,
        onResult(result) {
          progress.tick(1, result.ok ? 0 : 1);
          if (values.verbose && result.ok) log(`Read ${result.bytes} from ${result.url}`);
        },
      };
      const channels = variant.timeline ? recordTimeline() : null;
      const cpuBefore = process.cpuUsage();
      const threadBefore = process.threadCpuUsage();
      startedAt = epochNow();
      try {
        results = await variant.downloadAllSites(target.sites, context);
      } finally {
        const used = process.cpuUsage(cpuBefore);
        const thread = process.threadCpuUsage(threadBefore);
        cpu = {
          processMs: (used.user + used.system) / 1000,
          threadMs: (thread.user + thread.system) / 1000,
        };
        timeline = channels?.stop(startedAt) ?? null;
        progress.stop();
      }
      return { items: target.sites.length };
    },
    async after() {
      await settleSessions();
      const outcome = outcomeOf(target.sites.length, results);
      for (const line of failureLines(outcome.failures)) console.error(line);
      const stats = await target.stats();
      const advice = descriptorsAdvice(outcome.failures, stats, variant.connectionsFlag);
      if (advice) console.error(advice);
      const latency = target.workload?.latencyMs;
      return recordOf({
        outcome,
        bytes: results.reduce((sum, r) => sum + r.bytes, 0),
        // A cancelled run has no ideal to compare with: it did not do the work.
        idealMs:
          latency === undefined || outcome.cancelled > 0
            ? null
            : variant.idealMs(target.sites.length, latency, measured),
        fields: { ...variant.fields, ...measured },
        cpu,
        stats,
        requests: requestTimes(results, startedAt),
        timeline,
        perUrl: target.perUrl,
        results,
      });
    },
  };
}

/** The summary's lines: those of the fields the run measured, and no others. */
function downloadSummary(_values: unknown, report: Report) {
  const [record] = report.results;
  return { columns: record ? summaryColumns(record) : [] };
}

/** 1 when any site failed or was cancelled. */
function downloadExitCode(report: Report): number {
  return report.results.some((r) => r.failed > 0 || Number(r.cancelled) > 0) ? 1 : 0;
}

/**
 * The hooks every download main declares the same way, to spread into its
 * runExample: the checks across the download flags, the sites opened and
 * warmed up before any clock (disposed of after the runs), the heading that
 * says where they are, the summary's lines, and exit code 1 when a site failed.
 */
export const downloadFamily = {
  check: checkDownloadOptions,
  prepare: openTarget,
  heading: (_values: unknown, target: Target) => target.heading,
  summary: downloadSummary,
  exitCode: downloadExitCode,
};
