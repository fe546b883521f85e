// A download strategy as runExample runs it, with the measuring around it.
// A main declares the strategy's untimed `before` (open the session, time
// bare members) and its timed `run` (the lesson's call, its results
// returned); this adds, before the clock, the server's counters zeroed; on
// the clock, the observation (undici's diagnostics channels, the members'
// start-up and replies, process.cpuUsage()) and the sessions' sockets
// closed, as aiohttp's `async with` does; after it, the server's counters
// read, failures named on stderr, and the record. The lesson is handed
// nothing but its sites and its session. Every number printed is measured
// here, in this run.
import { createProgress, type Report, type RunContext, type Strategy } from '@lab/harness';
import type { SiteResult } from './download-site.ts';
import { observeDownloads } from './observe.ts';
import { checkDownloadOptions } from './options.ts';
import { descriptorsAdvice, failureLines, outcomeOf, recordOf, summaryColumns } from './report.ts';
import {
  closeSessions,
  openSession,
  type Session,
  type SessionOptions,
  settleSessions,
} from './session.ts';
import { measureBareStartup } from './startup.ts';
import { openTarget, type Target } from './target.ts';
import { recordTimeline, type Timeline } from './timeline.ts';

export type Measured = Record<string, number | undefined>;

export interface DownloadStrategy {
  /** The strategy's name in the record. */
  name: string;
  /**
   * The session's options (the notes' Session: its connection bound). It is
   * opened before the clock with --timeout's deadline, handed to `before`
   * and `run`, destroyed by Ctrl-C, and closed inside the run.
   */
  session: Omit<SessionOptions, 'timeoutMs'>;
  /**
   * The pool's members, when they are threads or processes: before the
   * clock, as many bare ones as the run starts are timed (bareStartupMs).
   */
  members?: 'threads' | 'processes';
  /** Untimed, before the clock: e.g. open the session's connections; returns fields measured there. */
  before?(session: Session, context: RunContext): Promise<Measured | undefined>;
  /** Timed: the lesson's call, downloading every site; its results. */
  run(session: Session, context: RunContext): Promise<SiteResult[]>;
  /** The ideal-time model: n sites at latency L, and what the run measured (e.g. startupMs). */
  idealMs(sites: number, latencyMs: number, measured: Measured): number;
  /** Fields of the strategy's own for the record, e.g. { concurrency: 5 }. */
  fields?: Record<string, unknown>;
  /** Record the all-at-once timeline: connections, last request written, first and last answer. */
  timeline?: boolean;
}

interface Settings {
  json: boolean;
  verbose: boolean;
  timeout: number;
}

/** The runExample strategy that runs `strategy` over the target's sites, and measures it. */
export function downloads(values: Settings, target: Target, strategy: DownloadStrategy): Strategy {
  let measured: Measured = {};
  let results: SiteResult[] = [];
  let requests: Array<[number, number | null, number]> = [];
  let timeline: Timeline | null = null;
  let cpu = { processMs: 0, threadMs: 0 };
  let aborted = false;
  let session: Session;
  return {
    name: strategy.name,
    async before(context) {
      session = openSession({ ...strategy.session, timeoutMs: values.timeout }, context.signal);
      measured = {};
      for (const [key, value] of Object.entries((await strategy.before?.(session, context)) ?? {}))
        if (value !== undefined) measured[key] = value;
      if (strategy.members) {
        const count = Math.min(strategy.session.connections ?? 1, target.sites.length);
        const kind = strategy.members === 'threads' ? 'thread' : 'process';
        measured.bareStartupMs = await measureBareStartup(kind, count);
      }
      await target.resetStats();
    },
    async run(context) {
      const { signal, log } = context;
      const progress = createProgress({
        total: target.sites.length,
        label: 'sites',
        json: values.json,
      });
      const observed = observeDownloads({
        signal,
        countBytes: values.verbose,
        onSite(ok, bytes, url) {
          progress.tick(1, ok ? 0 : 1);
          if (values.verbose && ok) log(`Read ${bytes} from ${url}`);
        },
      });
      const channels = strategy.timeline ? recordTimeline() : null;
      const cpuBefore = process.cpuUsage();
      const threadBefore = process.threadCpuUsage();
      const startedAt = performance.timeOrigin + performance.now();
      try {
        results = await strategy.run(session, context);
      } finally {
        // As aiohttp's `async with` ends: the sockets closed on the clock, their FINs awaited after it.
        closeSessions();
        const used = process.cpuUsage(cpuBefore);
        const thread = process.threadCpuUsage(threadBefore);
        cpu = {
          processMs: (used.user + used.system) / 1000,
          threadMs: (thread.user + thread.system) / 1000,
        };
        timeline = channels?.stop(startedAt) ?? null;
        const seen = observed.stop(startedAt);
        requests = seen.requests;
        if (seen.startupMs !== null) measured.startupMs = seen.startupMs;
        aborted = signal.aborted;
        progress.stop();
      }
      return { items: target.sites.length };
    },
    async after() {
      await settleSessions();
      const outcome = outcomeOf(target.sites.length, results, aborted);
      for (const line of failureLines(outcome.failures)) console.error(line);
      const stats = await target.stats();
      const advice = descriptorsAdvice(outcome.failures, stats, '--connections');
      if (advice) console.error(advice);
      const latency = target.workload?.latencyMs;
      return recordOf({
        outcome,
        bytes: results.reduce((sum, r) => sum + r.bytes, 0),
        // A cancelled run has no ideal to compare with: it did not do the work.
        idealMs:
          latency === undefined || outcome.cancelled > 0
            ? null
            : strategy.idealMs(target.sites.length, latency, measured),
        fields: { ...strategy.fields, ...measured },
        cpu,
        stats,
        requests,
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
