// A session: an undici Agent (a pool of connections per host) that the run's
// signal can cancel. On Ctrl-C the Agent is destroyed, which fails every
// request it holds, in flight or queued, at once.
//
// Why not hand the signal to every request instead? Because 10,000 requests
// would each add a listener to the one signal, and removing them one by one
// costs time that grows with the square of the count (measured: 10,000 sites
// at zero latency took 1.19 s that way, 0.8 s this way).
//
// The session's pools are built from Clients that tell a download when it is
// handed a connection (ON_ASSIGNED), so a site's deadline runs from then, not
// from when it joined the queue: with 10,000 sites over 100 connections the
// last ones wait seconds for a socket, and that wait is the queue's, not theirs.
import type { Dispatcher, Agent as Session } from 'undici';
import { CALLS_ON_ASSIGNED, ON_ASSIGNED } from './download-site.ts';
import { Agent, Client, Pool } from './undici.ts';

class AssigningClient extends Client {
  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) {
    (handler as { [ON_ASSIGNED]?: () => void })[ON_ASSIGNED]?.();
    return super.dispatch(options, handler);
  }
}

export function openSession(options: Session.Options, signal: AbortSignal): Session {
  const agent = new Agent({
    ...options,
    // A Pool even for one connection, so a queued request waits in the pool
    // (deadline not started) rather than in the Client's own queue.
    factory: (origin, poolOptions) =>
      new Pool(origin, {
        ...poolOptions,
        factory: (o, clientOptions) => new AssigningClient(o, clientOptions),
      }),
  });
  Object.defineProperty(agent, CALLS_ON_ASSIGNED, { value: true });
  signal.addEventListener('abort', () => void agent.destroy().catch(() => {}), { once: true });
  return agent;
}

// Sessions whose connections are still closing.
const closing = new Set<Promise<void>>();

/** True when no request of the session is running or queued: its connections are all idle. */
function idle(agent: Session): boolean {
  for (const pool of Object.values(agent.stats) as Array<{ running?: number; size?: number }>) {
    if ((pool.running ?? 0) > 0 || (pool.size ?? 0) > 0) return false;
  }
  return true;
}

/**
 * Close the session's connections once its requests are done (a destroyed
 * one is closed already). Like aiohttp's ClientSession.close(), it closes the
 * sockets inside the run and does not wait for every socket's FIN to come
 * back: with 100 connections that wait is several ms of teardown, not
 * downloading. settleSessions() waits for the rest, after the clock.
 *
 * When every request is done (what all three examples do: they close after
 * the last download settled), the idle sockets are destroyed at once, as
 * aiohttp's transports are: undici's graceful close() of 80 idle connections
 * took this thread 6-33 ms before it returned, destroy() 2-9 ms (measured
 * with 80 sites at 100 ms, the same run). With requests still in it, the
 * graceful close lets them finish.
 */
export function closeSession(agent: Session): Promise<void> {
  if (agent.destroyed || agent.closed) return Promise.resolve();
  const closed = (idle(agent) ? agent.destroy() : agent.close())
    .catch(() => {})
    .finally(() => closing.delete(closed));
  closing.add(closed);
  return Promise.resolve();
}

/** Wait until every session's connections are closed: nothing left running. */
export async function settleSessions(): Promise<void> {
  await Promise.allSettled([...closing]);
}
