// The probe: /ping sent at a fixed rate while a route is under load, to see
// who else waits. It is an open loop: each probe is sent at its planned time
// whether or not the last one was answered, on a connection of its own if
// the others are still waiting, and its latency is counted from the planned
// time. A closed loop (send, wait, send) would slow down with a stalled
// server and never see most of the stall: coordinated omission.
import { Agent, request } from 'node:http';

export interface ProbeResult {
  sent: number;
  answered: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * One second of probes: the p99 of what /ping's callers waited in it, those
 * answered in that second and those still waiting at its end (counted at
 * what they have waited so far, as `stop` counts them).
 */
export interface ProbeSecond {
  p99Ms: number;
  answered: number;
  waiting: number;
  /** The second's start, in microseconds since the epoch (the trace's clock). */
  fromUs: number;
}

/** A probe every 10 ms: a hundred a second, enough for a p99 that is not just the worst one. */
export const PROBE_EVERY_MS = 10;

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? 0
    : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const round = (ms: number) => Math.round(ms * 10) / 10;

export function startProbe(
  url: string,
  everyMs = PROBE_EVERY_MS,
  onSecond?: (second: ProbeSecond) => void,
): { stop(): ProbeResult } {
  // Connections are kept for the next probe, and opened anew while all are busy.
  const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  const started = performance.now();
  const latencies: number[] = [];
  const pending = new Map<number, () => void>(); // planned time -> abort
  let sent = 0;
  let timer: NodeJS.Timeout | undefined;
  // Latencies answered since the last second's report.
  let thisSecond: number[] = [];
  let secondFrom = performance.timeOrigin + started;
  const reportSecond = () => {
    const now = performance.now();
    const waiting = [...pending.keys()].map((planned) => now - planned);
    const all = [...thisSecond, ...waiting].sort((a, b) => a - b);
    onSecond?.({
      p99Ms: round(percentile(all, 99)),
      answered: thisSecond.length,
      waiting: waiting.length,
      fromUs: Math.round(secondFrom * 1000),
    });
    thisSecond = [];
    secondFrom = performance.timeOrigin + now;
  };
  const seconds = onSecond ? setInterval(reportSecond, 1000) : undefined;

  const send = (planned: number) => {
    sent += 1;
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => {
        pending.delete(planned);
        const latency = performance.now() - planned;
        latencies.push(latency);
        thisSecond.push(latency);
      });
    });
    req.on('error', () => pending.delete(planned));
    pending.set(planned, () => req.destroy());
    req.end();
  };
  const next = (i: number) => {
    const planned = started + i * everyMs;
    timer = setTimeout(
      () => {
        // Any probe whose time has come is sent now, even if this timer was late.
        let j = i;
        for (; started + j * everyMs <= performance.now(); j++) send(started + j * everyMs);
        next(j);
      },
      Math.max(0, planned - performance.now()),
    );
  };
  next(0);

  return {
    stop() {
      clearTimeout(timer);
      clearInterval(seconds);
      // The last part of a second, if a probe was answered in it or still waits.
      if (onSecond && (thisSecond.length > 0 || pending.size > 0)) reportSecond();
      const now = performance.now();
      // A probe still unanswered has waited at least this long: counted, not dropped.
      const waiting = [...pending.keys()].map((planned) => now - planned);
      for (const abort of pending.values()) abort();
      agent.destroy();
      const all = [...latencies, ...waiting].sort((a, b) => a - b);
      return {
        sent,
        answered: latencies.length,
        p50Ms: round(percentile(all, 50)),
        p99Ms: round(percentile(all, 99)),
        maxMs: round(all.at(-1) ?? 0),
      };
    },
  };
}
