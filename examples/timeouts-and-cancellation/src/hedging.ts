// A hedged request: ask two servers, take the first answer, cancel the other.
//
// Tail latency comes from the slow replica. Asking both and keeping the first
// answer (Promise.any) cuts the tail to the fast one's; the loser must then
// be *cancelled*, or every hedge doubles the load. Each attempt gets a signal
// of its own, so the winner's arrival aborts exactly the other one, and the
// slow server sees each losing request closed. asyncio writes this with
// asyncio.wait(return_when=FIRST_COMPLETED) and cancel() on the pending set.
import type { SitesServer } from '@lab/sites';
import { Agent } from 'undici';
import { download, epochMs, quiet } from './downloads.ts';

/** Ask every url at once; the first answer wins, the others are aborted. */
export async function hedged(urls: string[], agent: Agent, signal: AbortSignal): Promise<number> {
  const controllers = urls.map(() => new AbortController());
  const attempts = urls.map((url, i) =>
    download(url, agent, AbortSignal.any([controllers[i]!.signal, signal])).then(() => i),
  );
  try {
    return await Promise.any(attempts);
  } finally {
    for (const controller of controllers) controller.abort(new Error('lost the race'));
    await Promise.allSettled(attempts);
  }
}

/** Nearest-rank percentile of latencies (ms). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  );
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

/** Run fn(0) ... fn(n - 1), `width` at a time; the results in order. */
async function inTurns<T>(n: number, width: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(n);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < n; i = next++) results[i] = await fn(i);
  };
  await Promise.all(Array.from({ length: Math.min(width, n) }, worker));
  return results;
}

/** How many requests are in flight at once: few enough that a latency is the server's, not the client's. */
export const AT_ONCE = 10;

/**
 * `requests` requests each way, AT_ONCE at a time, against a fast and a slow
 * server: each one to one server (round-robin), then each to both (hedged).
 */
export async function hedgeTail(
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
