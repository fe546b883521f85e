// All at once, with the connections opened before the clock starts: a
// strategy of its own, labelled so (all-at-once-preconnected), because it
// leaves out a cost that every first visit to a server pays. What it shows
// is how much of all at once's time above one latency is opening
// connections: the same downloads, the same session, with its sockets
// already there.
//
// undici opens a connection when a request needs one, so opening N of them
// means N requests in flight together: here, one each to the sites server's
// /warm-up, which answers at once and counts nothing. Once they are
// answered the N connections stay open, idle, in the session's pool, and
// the run's first N requests go out on them without a handshake.
import { downloadSite, type Session } from '@lab/download';
import { WARM_UP_PATH } from '@lab/sites';

/** The session's counts for `origin`: connections open, and those free for a new request. */
function poolOf(session: Session, origin: string): { connected: number; free: number } {
  const pool = (session.stats as Record<string, { connected?: number; free?: number }>)[origin];
  return { connected: pool?.connected ?? 0, free: pool?.free ?? 0 };
}

/**
 * Wait (at most `ms`) until every open connection is free. A connection is
 * free again only once undici has seen its answer end and taken it back,
 * which can come a moment after the body is read: a run started before
 * then finds some connections busy and opens new ones beside them (in 4
 * of 40 runs, 3 to 20 of them).
 */
async function allFree(session: Session, origin: string, ms: number): Promise<void> {
  const until = performance.now() + ms;
  for (
    let pool = poolOf(session, origin);
    pool.free < pool.connected;
    pool = poolOf(session, origin)
  ) {
    if (performance.now() > until) return;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/**
 * Open `count` connections of `session` to the sites' server, and return how
 * many it then holds (the summary prints it: the caller's check).
 */
export async function preconnect(
  session: Session,
  sites: readonly string[],
  count: number,
): Promise<number> {
  const origin = new URL(sites[0]!).origin;
  const url = `${origin}${WARM_UP_PATH}`;
  const results = await Promise.all(
    Array.from({ length: count }, () => downloadSite(url, session)),
  );
  const failed = results.find((r) => !r.ok);
  if (failed) throw new Error(`could not open the connections first: ${failed.error}`);
  await allFree(session, origin, 1_000);
  return poolOf(session, origin).connected;
}
