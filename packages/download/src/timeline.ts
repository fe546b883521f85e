// Where the time above one latency goes, observed rather than intercepted:
// undici publishes what each connection and request does on public
// diagnostics channels (node:diagnostics_channel), and a run listens to them
// while its clock runs. Nothing here touches a request; a channel with no
// listener costs undici one check.
//
// Channels are per thread: this sees the requests made on the thread that
// records (all at once, a pool of tasks), not those of a pool's members.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { epochNow } from './observe.ts';

/** Where the time above one latency went, in ms from the run's start. */
export interface Timeline {
  /** Connections opened during the run. */
  connections: number;
  /** When the last of them was open (null: none was opened). */
  connectionsOpenedMs: number | null;
  /** When the last request was written to its socket. */
  lastRequestWrittenMs: number | null;
  /** When the first response's headers arrived. */
  firstAnswerMs: number | null;
  /** When the last response ended (complete, or failed). */
  lastAnswerMs: number | null;
}

const tenth = (ms: number) => Math.round(ms * 10) / 10;

/** Listen to undici's channels until stop(), which gives the timeline from `startedAt` (epoch ms). */
export function recordTimeline() {
  let connections = 0;
  let connectedAt = -Infinity;
  let writtenAt = -Infinity;
  let firstAnswerAt = Infinity;
  let lastAnswerAt = -Infinity;
  const listeners: Record<string, () => void> = {
    // A socket is connected: a new connection.
    'undici:client:connected': () => {
      connections += 1;
      connectedAt = epochNow();
    },
    // A request's headers (a GET: the whole request) are written to its socket.
    'undici:client:sendHeaders': () => {
      writtenAt = epochNow();
    },
    // A response's status line and headers have arrived.
    'undici:request:headers': () => {
      if (firstAnswerAt === Infinity) firstAnswerAt = epochNow();
    },
    // A response has ended (its trailers, empty or not), or a request failed.
    'undici:request:trailers': () => {
      lastAnswerAt = epochNow();
    },
    'undici:request:error': () => {
      lastAnswerAt = epochNow();
    },
  };
  for (const [name, listener] of Object.entries(listeners)) subscribe(name, listener);
  return {
    stop(startedAt: number): Timeline {
      for (const [name, listener] of Object.entries(listeners)) unsubscribe(name, listener);
      const at = (t: number) => (Number.isFinite(t) ? tenth(t - startedAt) : null);
      return {
        connections,
        connectionsOpenedMs: at(connectedAt),
        lastRequestWrittenMs: at(writtenAt),
        firstAnswerMs: at(firstAnswerAt),
        lastAnswerMs: at(lastAnswerAt),
      };
    },
  };
}
