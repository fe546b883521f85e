// Shield: the part of the work that must finish survives the caller's cancellation.
//
// asyncio.shield(commit) lets the caller be cancelled while the commit task
// goes on. In Node the commit is simply the piece that is *not* handed the
// signal: the caller stops waiting for it when its signal aborts (shield()
// below), the commit does not hear of it. Somebody must still keep the
// commit's promise and wait for it before the program ends, as a Python
// program must keep a reference to the shielded task (asyncio.run cancels
// whatever is left when main() returns).
//
//   pnpm --filter timeouts-and-cancellation exec node src/shield.ts
import { type SitesServer, startSitesThread } from '@lab/sites';
import { Agent } from 'undici';
import { download, ms } from './downloads.ts';

/** asyncio.shield: stop waiting for `work` when the signal aborts, without stopping it. */
export function shield<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const listening = new AbortController();
    const stop = (settle: () => void) => () => {
      listening.abort(); // the listener below goes
      settle();
    };
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener(
      'abort',
      stop(() => reject(signal.reason)),
      { signal: listening.signal },
    );
    work.then(
      (value) => stop(() => resolve(value))(),
      (error: unknown) => stop(() => reject(error))(),
    );
  });
}

/**
 * Save an order: read it (handed the signal: may be cancelled), then commit
 * it (not handed the signal: must finish). `commits` keeps every commit so the
 * caller can wait for the ones it gave up on.
 */
export async function saveOrder(
  server: SitesServer,
  agent: Agent,
  signal: AbortSignal,
  commits: Promise<number>[],
): Promise<number> {
  await download(server.siteUrl(0), agent, signal); // the read: cancellable
  const commit = download(server.siteUrl(1), agent); // the write: shielded
  commits.push(commit);
  return await shield(commit, signal);
}

export interface ShieldOutcome {
  /** When the caller gave up, from the start. */
  callerGaveUpMs: number;
  /** When the caller's wait for the commit ended, from the start. */
  committedMs: number;
}

/**
 * The caller gives up after `cancelAfterMs`, in the middle of the commit (the
 * server answers each request after its latency: the read, then the commit);
 * then, as a program must, waits for the commit it gave up on.
 */
export async function shieldedCommit(
  server: SitesServer,
  cancelAfterMs: number,
  parent?: AbortSignal,
): Promise<ShieldOutcome> {
  const agent = new Agent();
  const commits: Promise<number>[] = [];
  const start = performance.now();
  const timeout = AbortSignal.timeout(cancelAfterMs);
  const signal = parent ? AbortSignal.any([timeout, parent]) : timeout;
  try {
    await saveOrder(server, agent, signal, commits).catch((error: unknown) => {
      if (error !== signal.reason || parent?.aborted) throw error;
    });
    const callerGaveUpMs = performance.now() - start;
    // Wait for the commit (unless Ctrl-C): it was never told to stop.
    await (parent ? shield(Promise.allSettled(commits), parent) : Promise.allSettled(commits));
    return { callerGaveUpMs, committedMs: performance.now() - start };
  } finally {
    await agent.destroy();
  }
}

// As the asyncio original's shield section: a server that answers after
// 300 ms; the caller gives up at 450 ms, in the middle of the commit.
if (import.meta.main) {
  const start = performance.now();
  const server = await startSitesThread({ latencyMs: 300 });
  try {
    const o = await shieldedCommit(server, 450);
    console.log(
      `shield: caller gave up at ${ms(o.callerGaveUpMs)}; the commit was answered at ${ms(o.committedMs)}`,
    );
  } finally {
    await server.close();
  }
  console.log(`took ${((performance.now() - start) / 1000).toFixed(2)} s`);
}
