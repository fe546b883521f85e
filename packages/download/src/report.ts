// A download run's record and summary, from what the run measured: the
// outcome of every site (ok, failed, cancelled: each counted, their sum the
// items), the per-request times for a waterfall, the timeline of an
// all-at-once run, the CPU the process used while it mostly waited, and a
// plain sentence when the OS ran out of file descriptors.
import { readFileSync } from 'node:fs';
import { type Column, formatBytes, formatMs, type ResultRecord } from '@lab/harness';
import type { SitesStats } from '@lab/sites';
import type { SiteResult } from './download-site.ts';
import { CANCELLED, OUT_OF_DESCRIPTORS } from './failure.ts';
import type { Timeline } from './timeline.ts';

export interface Outcome {
  items: number;
  ok: number;
  failures: SiteResult[];
  cancelled: number;
}

const tenth = (ms: number) => Math.round(ms * 10) / 10;

/**
 * Sites never reached (the run was cancelled first) count as cancelled; so
 * does every site that did not arrive in a run cancelled by Ctrl-C, which
 * destroyed its session or ended its member.
 */
export function outcomeOf(items: number, results: readonly SiteResult[], aborted = false): Outcome {
  let ok = 0;
  let cancelled = items - results.length;
  const failures: SiteResult[] = [];
  for (const r of results) {
    if (r.ok) ok += 1;
    else if (aborted || r.error === CANCELLED) cancelled += 1;
    else failures.push(r);
  }
  return { items, ok, failures, cancelled };
}

export function formatTimeline(t: Timeline): string {
  const ms = (v: number | null) => (v === null ? '-' : formatMs(v));
  const opened =
    t.connections === 0
      ? 'no connections opened'
      : `${t.connections} connections opened by ${ms(t.connectionsOpenedMs)}`;
  return (
    `${opened}; ` +
    `last request written at ${ms(t.lastRequestWrittenMs)}; ` +
    `first answer at ${ms(t.firstAnswerMs)}; last at ${ms(t.lastAnswerMs)}`
  );
}

/**
 * The failed: lines for stderr. A site that failed for a reason of its own is
 * named on a line of its own; a reason shared by many sites (out of file
 * descriptors, say, when 1,900 of 2,000 connects are refused) is one line with
 * a count and the first site, so the terminal shows the few that differ.
 * Every failed site is still in the record (failed, requests).
 */
export function failureLines(failures: readonly SiteResult[], maxEach = 3): string[] {
  const byReason = new Map<string, SiteResult[]>();
  for (const f of failures) {
    const reason = f.error ?? 'failed';
    const list = byReason.get(reason);
    if (list) list.push(f);
    else byReason.set(reason, [f]);
  }
  const lines: string[] = [];
  for (const [reason, sites] of byReason) {
    if (sites.length <= maxEach) {
      for (const f of sites) lines.push(`failed: ${f.url} (${reason})`);
    } else {
      lines.push(`failed: ${sites.length} sites: ${reason} (first: ${sites[0]!.url})`);
    }
  }
  return lines;
}

/** The soft limit on open files (`ulimit -n`), where the OS says (Linux); null elsewhere. */
export function openFilesLimit(): number | null {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    return soft && /^\d+$/.test(soft) ? Number(soft) : null;
  } catch {
    return null;
  }
}

/**
 * One line when the OS refused a socket for want of file descriptors, on
 * either end: the client's connect failed (EMFILE), or the embedded server
 * could not accept (its client then sees only "other side closed").
 */
export function descriptorsAdvice(
  failures: readonly SiteResult[],
  stats: SitesStats | null,
  connectionsFlag: string | undefined,
): string | null {
  const clientRefused = failures.filter((f) => f.error?.startsWith(OUT_OF_DESCRIPTORS)).length;
  // Out of descriptors, the embedded server stops listening for a moment:
  // the connections waiting for it are reset, and new ones refused.
  const serverOut = (stats?.acceptErrors ?? 0) > 0;
  if (clientRefused === 0 && !serverOut) return null;
  const serverRefused = serverOut
    ? failures.filter((f) => /^connection (refused|reset)/.test(f.error ?? '')).length
    : 0;
  const limit = openFilesLimit();
  const where = [
    clientRefused > 0 ? `${clientRefused} connects` : '',
    serverOut ? `${serverRefused} connections to the embedded server` : '',
  ]
    .filter(Boolean)
    .join(' and ');
  const fewer = connectionsFlag ? `fewer connections (${connectionsFlag}) or ` : '';
  return (
    `${OUT_OF_DESCRIPTORS}: the OS refused ${where} at its limit of ` +
    `${limit ?? 'its'} open files; use ${fewer}a higher limit (ulimit -n)`
  );
}

export interface RecordInput {
  outcome: Outcome;
  bytes: number;
  idealMs: number | null;
  fields: Record<string, unknown>;
  cpu: { processMs: number; threadMs: number };
  stats: SitesStats | null;
  requests: Array<[number, number | null, number]>;
  timeline: Timeline | null;
  perUrl: Map<string, number> | null;
  results: readonly SiteResult[];
}

/** The record's fields (the harness adds strategy, wallMs and the ratios). */
export function recordOf(input: RecordInput) {
  const { outcome, stats, perUrl } = input;
  return {
    items: outcome.items,
    failed: outcome.failures.length,
    bytes: input.bytes,
    idealMs: input.idealMs,
    ...input.fields,
    ok: outcome.ok,
    cancelled: outcome.cancelled,
    peakInFlight: stats?.peakInFlight ?? null,
    connections: stats?.connections ?? null,
    cpuMs: tenth(input.cpu.processMs),
    threadCpuMs: tenth(input.cpu.threadMs),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    ...(perUrl ? { perUrl: perUrlCounts(perUrl, input.results) } : {}),
    ...(input.timeline ? { timeline: input.timeline } : {}),
    requests: input.requests,
  };
}

/** For --url: per distinct URL, how many downloads were asked for and how many arrived. */
function perUrlCounts(perUrl: Map<string, number>, results: readonly SiteResult[]) {
  const ok = new Map<string, number>();
  for (const r of results) if (r.ok) ok.set(r.url, (ok.get(r.url) ?? 0) + 1);
  return [...perUrl].map(([url, downloads]) => ({ url, downloads, ok: ok.get(url) ?? 0 }));
}

export function summaryColumns(record: ResultRecord): Column[] {
  const has = (key: string) => record[key] !== undefined && record[key] !== null;
  return [
    {
      key: 'ok',
      label: 'outcome',
      format: (v, r) => `${v} ok, ${r.failed} failed, ${r.cancelled} cancelled`,
    },
    ...(has('perUrl')
      ? [
          {
            key: 'perUrl',
            label: 'per URL',
            format: (v: unknown) =>
              (v as Array<{ url: string; downloads: number; ok: number }>)
                .map((u) => `${u.url} ${u.ok}/${u.downloads}`)
                .join(', '),
          },
        ]
      : []),
    ...(has('timeline')
      ? [
          {
            key: 'timeline',
            label: 'timeline',
            format: (v: unknown) => formatTimeline(v as Timeline),
          },
        ]
      : []),
    ...(has('peakInFlight') ? [{ key: 'peakInFlight', label: 'peak in flight (server)' }] : []),
    ...(has('connections') ? [{ key: 'connections', label: 'connections opened' }] : []),
    ...(has('preconnected')
      ? [
          {
            key: 'preconnected',
            label: 'opened before the clock',
            format: (v: unknown) => `${v} connections (their time not counted)`,
          },
        ]
      : []),
    {
      key: 'cpuMs',
      label: 'CPU',
      format: (v, r) =>
        `${formatMs(Number(v))} of ${formatMs(r.wallMs)} wall (${Math.round((Number(v) / r.wallMs) * 100)}%; ` +
        `this thread ${formatMs(Number(r.threadCpuMs))})`,
    },
    {
      key: 'maxRssMb',
      label: 'peak memory',
      format: (v) => formatBytes(Number(v) * 1024 * 1024),
    },
    ...(has('startupMs')
      ? [
          {
            key: 'startupMs',
            label: 'start-up of the pool',
            format: (v: unknown) => formatMs(Number(v)),
          },
        ]
      : []),
    ...(has('bareStartupMs')
      ? [
          {
            key: 'bareStartupMs',
            label: 'bare members (load nothing)',
            format: (v: unknown) => formatMs(Number(v)),
          },
        ]
      : []),
  ];
}
