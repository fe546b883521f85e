// A timeout that stops the work, and one that does not.
//
// asyncio.timeout() and wait_for() cancel the late work: CancelledError is
// raised inside every task at its await, and aiohttp closes the connection.
// The usual Node translation, Promise.race([work, timer]), only stops
// *waiting*: it returns at the deadline while every request stays in flight,
// to be answered later into a promise nobody reads. The fix is a signal
// (AbortSignal.timeout) handed to every request: at the deadline each one is
// aborted, and the server sees the connections close.
//
//   pnpm --filter timeouts-and-cancellation exec node src/timeouts.ts
import { sleep } from '@lab/harness';
import { startSitesThread } from '@lab/sites';
import { Agent } from 'undici';
import { download, ms } from './downloads.ts';

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
  parent?: AbortSignal,
) {
  const signal = parent
    ? AbortSignal.any([AbortSignal.timeout(ms), parent])
    : AbortSignal.timeout(ms);
  const timedOut = await Promise.all(urls.map((url) => download(url, agent, signal))).then(
    () => false,
    (error: unknown) =>
      error === signal.reason && !parent?.aborted ? true : Promise.reject(error),
  );
  return { timedOut };
}

// As the asyncio original's timeout section: 20 downloads from a server that
// answers after 300 ms, under a 100 ms deadline, each way; then what the
// server still has in flight 20 ms after the deadline.
if (import.meta.main) {
  const start = performance.now();
  const server = await startSitesThread({ latencyMs: 300 });
  const urls = Array.from({ length: 20 }, (_, n) => server.siteUrl(n));
  const agent = new Agent();
  try {
    const ways = [
      ['Promise.race against a 100 ms timer', () => downloadAllRaced(urls, 100, agent)],
      [
        'AbortSignal.timeout(100) handed to every request',
        () => downloadAllWithSignal(urls, 100, agent),
      ],
    ] as const;
    for (const [how, way] of ways) {
      const began = performance.now();
      const outcome = await way();
      const returnedMs = performance.now() - began;
      await sleep(Math.max(0, began + 120 - performance.now()));
      const { inFlight } = await server.stats();
      console.log(
        `${how}: returned at ${ms(returnedMs)}; in flight at the server 20 ms after the deadline: ${inFlight}`,
      );
      if ('late' in outcome) await outcome.late; // answered at last, to nobody
    }
  } finally {
    await agent.destroy();
    await server.close();
  }
  console.log(`took ${((performance.now() - start) / 1000).toFixed(2)} s`);
}
