// A session: an undici Agent (a pool of connections per host), the notes'
// requests.Session and aiohttp.ClientSession. On Ctrl-C the Agent is
// destroyed, which fails every request it holds, in flight or queued, at once.
import { Agent } from 'undici';

export type Session = Agent;

export function openSession(options: Agent.Options, signal: AbortSignal): Session {
  const session = new Agent(options);
  signal.addEventListener('abort', () => void session.destroy().catch(() => {}), { once: true });
  return session;
}

// Sessions whose connections are still closing.
const closing = new Set<Promise<void>>();

/** True when no request of the session is running or queued: its connections are all idle. */
function idle(session: Session): boolean {
  for (const pool of Object.values(session.stats) as Array<{ running?: number; size?: number }>) {
    if ((pool.running ?? 0) > 0 || (pool.size ?? 0) > 0) return false;
  }
  return true;
}

/**
 * Close the session's connections once its requests are done. Like aiohttp's
 * ClientSession.close(), the sockets are closed inside the run, and their
 * FINs are not waited for: settleSessions() does that, after the clock. Idle
 * sockets are destroyed at once, as aiohttp's transports are (undici's
 * graceful close() of 80 idle connections took this thread 6-33 ms,
 * destroy() 2-9 ms); with requests still in it, the graceful close lets them
 * finish.
 */
export function closeSession(session: Session): Promise<void> {
  if (session.destroyed || session.closed) return Promise.resolve();
  const closed = (idle(session) ? session.destroy() : session.close())
    .catch(() => {})
    .finally(() => closing.delete(closed));
  closing.add(closed);
  return Promise.resolve();
}

/** Wait until every session's connections are closed: nothing left running. */
export async function settleSessions(): Promise<void> {
  await Promise.allSettled([...closing]);
}
