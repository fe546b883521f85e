// A timeout that stops the work, and one that does not.
//
// asyncio.timeout() and wait_for() cancel the late work: CancelledError is
// raised inside every task at its await, and aiohttp closes the connection.
// The usual Node translation, Promise.race([work, timer]), only stops
// *waiting*: it returns at the deadline while every request stays in flight,
// to be answered later into a promise nobody reads. The fix is a signal
// (AbortSignal.timeout) handed to every request: at the deadline each one is
// aborted, and the server sees the connections close.
import { type SitesServer, WARM_UP_PATH } from '@lab/sites';
import { Agent, request } from 'undici';
import { download, epochMs, inFlightAt, inFlightSteps, quiet } from './downloads.ts';
import { shield } from './shield.ts';

export class Timeout extends Error {
  override name = 'TimeoutError';
}

/** The usual translation: the first of the work and a timer. The work is not told. */
export async function raceTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Timeout(`timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Twenty downloads under a race: returns at the deadline; `late` goes on without us. */
export async function downloadAllRaced(urls: string[], ms: number, agent: Agent) {
  const late = Promise.allSettled(urls.map((url) => download(url, agent)));
  const timedOut = await raceTimeout(late, ms).then(
    () => false,
    (error: unknown) => (error instanceof Timeout ? true : Promise.reject(error)),
  );
  return { timedOut, late };
}

/** The same downloads, each handed one signal: at the deadline every request is aborted. */
export async function downloadAllWithSignal(
  urls: string[],
  ms: number,
  agent: Agent,
  parent: AbortSignal,
) {
  const signal = AbortSignal.any([AbortSignal.timeout(ms), parent]);
  const timedOut = await Promise.all(urls.map((url) => download(url, agent, signal))).then(
    () => false,
    (error: unknown) => (error === signal.reason && !parent.aborted ? true : Promise.reject(error)),
  );
  return { timedOut };
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
