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
import { downloadSite, openSession, type Session } from '@lab/download';
import { WARM_UP_PATH } from '@lab/sites';

/** How many connections the session holds to `origin`, open or opening. */
function connectionsTo(session: Session, origin: string): number {
  const pool = (session.stats as Record<string, { connected?: number }>)[origin];
  return pool?.connected ?? 0;
}

/**
 * A new session with `count` connections to the sites' server already open.
 * Returns it with the number it holds (the caller checks it against `count`).
 */
export async function openConnectedSession(
  sites: readonly string[],
  count: number,
  options: { maxConnections: number; timeoutMs: number; signal: AbortSignal },
): Promise<{ session: Session; connected: number }> {
  const origin = new URL(sites[0]!).origin;
  const session = openSession({ connections: options.maxConnections }, options.signal);
  const url = `${origin}${WARM_UP_PATH}`;
  const results = await Promise.all(
    Array.from({ length: count }, () => downloadSite(url, session, options)),
  );
  const failed = results.find((r) => !r.ok);
  if (failed) {
    await session.destroy();
    throw new Error(`could not open the connections first: ${failed.error}`);
  }
  return { session, connected: connectionsTo(session, origin) };
}
