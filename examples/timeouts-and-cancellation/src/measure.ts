// The harness's side of the lessons: it calls each lesson's exports as they
// are and measures from outside. The sites server keeps a record per request
// (recordRequests): when it arrived, when it ended, and whether it was
// answered or closed by the client first. A timeout's claim ("nothing is
// left in flight") is then counted by the server, not assumed by the client;
// each request's latency is timed around the call; the loop's freedom is a
// heartbeat around it.
import { blockFor, percentile } from '@lab/harness';
import { type RequestRecord, type SitesServer, WARM_UP_PATH } from '@lab/sites';
import { Agent, request } from 'undici';
import { download } from './downloads.ts';
import { heartbeatsDuring } from './heartbeats.ts';
import { AT_ONCE, hedged, inTurns } from './hedging.ts';
import { shield, shieldedCommit } from './shield.ts';
import { fromThread, toThread } from './threads.ts';
import { downloadAllRaced, downloadAllWithSignal } from './timeouts.ts';

/** Now, in ms since the Unix epoch: comparable with the server thread's records and Python's time.time(). */
export const epochMs = () => performance.timeOrigin + performance.now();

/** How many requests the server had in flight at time t (epoch ms). */
export const inFlightAt = (records: RequestRecord[], t: number) =>
  records.filter((r) => r.start <= t && (r.end === null || r.end > t)).length;

/** The in-flight count as steps [ms since origin, count], one per change: what the report draws. */
export function inFlightSteps(records: RequestRecord[], origin: number): [number, number][] {
  const events = records.flatMap((r) => [
    [r.start - origin, 1],
    ...(r.end === null ? [] : [[r.end - origin, -1]]),
  ]) as [number, number][];
  events.sort((a, b) => a[0] - b[0]);
  const steps: [number, number][] = [[0, 0]];
  let count = 0;
  for (const [ms, step] of events) {
    count += step;
    steps.push([Math.round(ms * 10) / 10, count]);
  }
  return steps;
}

/** Wait until the server has nothing in flight (it learns of a client's abort a moment after the client). */
export async function quiet(server: SitesServer, limitMs = 5000): Promise<void> {
  const until = epochMs() + limitMs;
  while ((await server.stats()).inFlight > 0) {
    if (epochMs() > until)
      throw new Error(`the server still has requests in flight after ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

export interface TimeoutOutcome {
  /** When the caller got control back, from the start. */
  returnedMs: number;
  deadlineMs: number;
  /** Requests the server still had in flight graceMs after the deadline. */
  inFlightAfter: number;
  graceMs: number;
  /** Answered after the deadline, to nobody; closed by the client. */
  answeredLate: number;
  aborted: number;
  /** When the server's last request ended, from the start. */
  lastEndMs: number;
  /** The server's in-flight count against time (ms from the start). */
  inFlightSeries: [number, number][];
}

/** What the server saw of one timed-out batch that started at `origin`. */
export async function serverView(
  server: SitesServer,
  origin: number,
  deadlineMs: number,
  returnedMs: number,
  graceMs: number,
): Promise<TimeoutOutcome> {
  await quiet(server);
  const records = await server.requests();
  const deadline = origin + deadlineMs;
  return {
    returnedMs,
    deadlineMs,
    inFlightAfter: inFlightAt(records, deadline + graceMs),
    graceMs,
    answeredLate: records.filter((r) => r.answered && (r.end ?? 0) > deadline).length,
    aborted: records.filter((r) => !r.answered).length,
    lastEndMs: Math.max(...records.map((r) => r.end ?? 0)) - origin,
    inFlightSeries: inFlightSteps(records, origin),
  };
}

/** Run one way against the server, from a fresh count, and say what the server saw. */
export async function measureTimeout(
  way: 'race' | 'signal',
  server: SitesServer,
  options: { sites: number; deadlineMs: number; graceMs: number; signal: AbortSignal },
): Promise<TimeoutOutcome> {
  const { sites, deadlineMs, graceMs, signal } = options;
  const urls = Array.from({ length: sites }, (_, n) => server.siteUrl(n));
  const agent = new Agent();
  try {
    // Before the clock: one connection per download, opened, and undici's code warm.
    await Promise.all(
      urls.map(() =>
        request(`${server.origin}${WARM_UP_PATH}`, { dispatcher: agent }).then((r) =>
          r.body.dump(),
        ),
      ),
    );
    await server.resetStats();
    const origin = epochMs();
    if (way === 'race') {
      const { late } = await downloadAllRaced(urls, deadlineMs, agent);
      const returnedMs = epochMs() - origin;
      // The race is over, the requests are not: wait for them, or Ctrl-C ends them.
      await shield(late, signal); // Ctrl-C stops the waiting; `finally` then ends the requests
      return await serverView(server, origin, deadlineMs, returnedMs, graceMs);
    }
    await downloadAllWithSignal(urls, deadlineMs, agent, signal);
    return await serverView(server, origin, deadlineMs, epochMs() - origin, graceMs);
  } finally {
    await agent.destroy(); // after Ctrl-C, what is left; otherwise nothing
  }
}

export interface ShieldView {
  /** When the caller gave up, from the start. */
  callerGaveUpMs: number;
  /** When the commit was answered by the server, from the start; null if it never was. */
  commitAnsweredMs: number | null;
  /** Did the server answer the commit (not see it closed by the client)? */
  commitAnswered: boolean;
}

/** shieldedCommit, with the server's record of its commit. */
export async function measureShield(
  server: SitesServer,
  cancelAfterMs: number,
  signal: AbortSignal,
): Promise<ShieldView> {
  await server.resetStats();
  const origin = epochMs();
  const { callerGaveUpMs } = await shieldedCommit(server, cancelAfterMs, signal);
  await quiet(server);
  const commit = (await server.requests()).find((r) => r.site === 1);
  return {
    callerGaveUpMs,
    commitAnsweredMs: commit?.end ? commit.end - origin : null,
    commitAnswered: commit?.answered ?? false,
  };
}

export interface HedgeOutcome {
  requests: number;
  /** Without hedging: request i asks server i % 2, as a round-robin balancer would. */
  plainP50: number;
  plainP99: number;
  hedgedP50: number;
  hedgedP99: number;
  /** Hedged requests the slow server answered, and those it saw closed by the client. */
  slowAnswered: number;
  slowCancelled: number;
  /** Each latency, in ms, for the report's chart. */
  plainMs: number[];
  hedgedMs: number[];
}

/**
 * `requests` requests each way, AT_ONCE at a time, against a fast and a slow
 * server: each one to one server (round-robin), then each to both (hedged).
 * Each latency is timed around its call; the losers are counted by the slow server.
 */
export async function measureHedge(
  fast: SitesServer,
  slow: SitesServer,
  requests: number,
  signal: AbortSignal,
): Promise<HedgeOutcome> {
  const agent = new Agent();
  const timedRequest = async (ask: () => Promise<unknown>) => {
    const start = epochMs();
    await ask();
    return epochMs() - start;
  };
  try {
    const servers = [fast, slow];
    const plainMs = await inTurns(requests, AT_ONCE, (i) =>
      timedRequest(() => download(servers[i % 2]!.siteUrl(i), agent, signal)),
    );
    await slow.resetStats();
    const hedgedMs = await inTurns(requests, AT_ONCE, (i) =>
      timedRequest(() => hedged([slow.siteUrl(i), fast.siteUrl(i)], agent, signal)),
    );
    await quiet(slow);
    const seen = await slow.requests();
    return {
      requests,
      plainP50: percentile(plainMs, 50),
      plainP99: percentile(plainMs, 99),
      hedgedP50: percentile(hedgedMs, 50),
      hedgedP99: percentile(hedgedMs, 99),
      slowAnswered: seen.filter((r) => r.answered).length,
      slowCancelled: seen.filter((r) => !r.answered).length,
      plainMs,
      hedgedMs,
    };
  } finally {
    await agent.destroy();
  }
}

export interface ThreadsOutcome {
  ms: number;
  /** Heartbeats (5 ms) while the loop itself blocked for ms. */
  blockedOnLoop: number;
  /** ... while a worker blocked for ms (to_thread). */
  toThread: number;
  /** ... while a worker waited for the loop to run an async function (run_coroutine_threadsafe). */
  fromThread: number;
  lines: string[];
}

/** The loop's heartbeats while it blocks, while a worker blocks, and while a worker waits for it. */
export async function crossThreads(ms: number, signal?: AbortSignal): Promise<ThreadsOutcome> {
  const onLoop = await heartbeatsDuring(() => blockFor(ms));
  const there = await heartbeatsDuring(() => toThread(ms, signal));
  const back = await heartbeatsDuring(() => fromThread(ms, signal));
  return {
    ms,
    blockedOnLoop: onLoop.beats,
    toThread: there.beats,
    fromThread: back.beats,
    lines: [there.value, back.value],
  };
}
