// A hedged request: ask two servers, take the first answer, cancel the other.
//
// Tail latency comes from the slow replica. Asking both and keeping the first
// answer (Promise.any) cuts the tail to the fast one's; the loser must then
// be *cancelled*, or every hedge doubles the load. Each attempt gets a signal
// of its own, so the winner's arrival aborts exactly the other one, and the
// slow server sees each losing request closed. asyncio writes this with
// asyncio.wait(return_when=FIRST_COMPLETED) and cancel() on the pending set.
//
//   pnpm --filter timeouts-and-cancellation exec node src/hedging.ts
import { percentile } from '@lab/harness';
import { startSitesThread } from '@lab/sites';
import { Agent } from 'undici';
import { download, ms } from './downloads.ts';

/** Ask every url at once; the first answer wins, the others are aborted. */
export async function hedged(urls: string[], agent: Agent, signal?: AbortSignal): Promise<number> {
  const controllers = urls.map(() => new AbortController());
  const attempts = urls.map((url, i) => {
    const own = controllers[i]!.signal;
    return download(url, agent, signal ? AbortSignal.any([own, signal]) : own).then(() => i);
  });
  try {
    return await Promise.any(attempts);
  } finally {
    for (const controller of controllers) controller.abort(new Error('lost the race'));
    await Promise.allSettled(attempts);
  }
}

/** How many requests are in flight at once: few enough that a latency is the server's, not the client's. */
export const AT_ONCE = 10;

/** Run fn(0) ... fn(n - 1), `width` at a time (asyncio.Semaphore(width)); the results in order. */
export async function inTurns<T>(
  n: number,
  width: number,
  fn: (i: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array(n);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < n; i = next++) results[i] = await fn(i);
  };
  await Promise.all(Array.from({ length: Math.min(width, n) }, worker));
  return results;
}

// As the asyncio original's hedge section: 100 requests, 10 at a time, to a
// fast server (20 ms) and a slow one (300 ms): one server each, then both.
if (import.meta.main) {
  const start = performance.now();
  const [fast, slow] = await Promise.all([
    startSitesThread({ latencyMs: 20 }),
    startSitesThread({ latencyMs: 300 }),
  ]);
  const agent = new Agent();
  const took = async (ask: () => Promise<unknown>) => {
    const began = performance.now();
    await ask();
    return performance.now() - began;
  };
  try {
    const servers = [fast, slow];
    const plain = await inTurns(100, AT_ONCE, (i) =>
      took(() => download(servers[i % 2]!.siteUrl(i), agent)),
    );
    const both = await inTurns(100, AT_ONCE, (i) =>
      took(() => hedged([slow.siteUrl(i), fast.siteUrl(i)], agent)),
    );
    const p = (values: number[], q: number) => ms(percentile(values, q));
    console.log(
      `hedged: p50 ${p(both, 50)}, p99 ${p(both, 99)} (one server each, round-robin: p50 ${p(plain, 50)}, p99 ${p(plain, 99)})`,
    );
  } finally {
    await agent.destroy();
    await Promise.all([fast.close(), slow.close()]);
  }
  console.log(`took ${((performance.now() - start) / 1000).toFixed(2)} s`);
}
