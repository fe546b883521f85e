// A session: an undici Agent (a pool of connections per host), the notes'
// requests.Session and aiohttp.ClientSession. A Session is one with a
// deadline for each download on it, as aiohttp's ClientSession(timeout=)
// carries one; the harness opens it, and on Ctrl-C destroys it, which
// fails every request it holds, in flight or queued, at once.
import { Agent, type Dispatcher } from 'undici';
import { Cancelled } from './failure.ts';

/** The deadline of a download, from the call, unless its session says otherwise. */
export const DEFAULT_TIMEOUT_MS = 10_000;

export interface SessionOptions extends Omit<Agent.Options, 'keepAlive'> {
  /** The deadline for each whole download on this session, in ms. */
  timeoutMs?: number;
  /** false: a new connection for every request, as requests.get() without a Session. */
  keepAlive?: boolean;
}

export class Session extends Agent {
  readonly timeoutMs: number;
  constructor({
    timeoutMs = DEFAULT_TIMEOUT_MS,
    keepAlive = true,
    ...options
  }: SessionOptions = {}) {
    // maxRequestsPerClient 1: undici resets each connection after its one request.
    super(keepAlive ? options : { ...options, maxRequestsPerClient: 1 });
    this.timeoutMs = timeoutMs;
  }
}

/** A session's deadline for each download on it: a Session's own, or the default. */
export function deadlineOf(session: Dispatcher): number {
  return session instanceof Session ? session.timeoutMs : DEFAULT_TIMEOUT_MS;
}

// Sessions opened for a run, and those whose connections are still closing.
const open = new Set<Session>();
const closing = new Set<Promise<void>>();

/** A Session that Ctrl-C (the signal) destroys: every request on it then fails as cancelled. */
export function openSession(options: SessionOptions, signal: AbortSignal): Session {
  const session = new Session(options);
  open.add(session);
  signal.addEventListener('abort', () => void session.destroy(new Cancelled()).catch(() => {}), {
    once: true,
  });
  return session;
}

/** True when no request of the session is running or queued: its connections are all idle. */
function idle(session: Session): boolean {
  for (const pool of Object.values(session.stats) as Array<{ running?: number; size?: number }>) {
    if ((pool.running ?? 0) > 0 || (pool.size ?? 0) > 0) return false;
  }
  return true;
}

/**
 * Close the connections of every session opened for the run, once its
 * requests are done. Like aiohttp's ClientSession.close() at the end of
 * `async with`, the sockets are closed inside the run, and their FINs are
 * not waited for: settleSessions() does that, after the clock. Idle sockets
 * are destroyed at once, as aiohttp's transports are (undici's graceful
 * close() of 80 idle connections took this thread 6-33 ms, destroy() 2-9
 * ms); with requests still in it, the graceful close lets them finish.
 */
export function closeSessions(): void {
  for (const session of open) {
    open.delete(session);
    if (session.destroyed || session.closed) continue;
    const closed = (idle(session) ? session.destroy() : session.close())
      .catch(() => {})
      .finally(() => closing.delete(closed));
    closing.add(closed);
  }
}

/** Wait until every session's connections are closed: nothing left running. */
export async function settleSessions(): Promise<void> {
  await Promise.allSettled([...closing]);
}
