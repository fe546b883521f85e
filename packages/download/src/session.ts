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
import { Agent, Client, type Dispatcher, Pool } from 'undici';
import { CALLS_ON_ASSIGNED, ON_ASSIGNED } from './download-site.ts';

class AssigningClient extends Client {
  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) {
    (handler as { [ON_ASSIGNED]?: () => void })[ON_ASSIGNED]?.();
    return super.dispatch(options, handler);
  }
}

export function openSession(options: Agent.Options, signal: AbortSignal): Agent {
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

/**
 * Close the session's connections once its requests are done (a destroyed
 * one is closed already). Like aiohttp's ClientSession.close(), it starts the
 * close and does not wait for every socket's FIN to come back: with 100
 * connections that wait is several ms of teardown, not downloading, and it
 * would be charged to the run. settleSessions() waits for it, after the clock.
 */
export function closeSession(agent: Agent): Promise<void> {
  if (agent.destroyed || agent.closed) return Promise.resolve();
  const closed = agent.close().finally(() => closing.delete(closed));
  closing.add(closed);
  return Promise.resolve();
}

/** Wait until every session's connections are closed: nothing left running. */
export async function settleSessions(): Promise<void> {
  await Promise.allSettled([...closing]);
}
