// The sites server's twin for tests: the same routes and the same workload,
// mocked with nock instead of served over loopback. nock 15 intercepts
// undici (request, fetch, Agent, Pool, Client) at the socket level on
// Node >= 22, so the examples' own code runs unchanged against it.
//
// Import it from '@lab/sites/nock' (tests only): it loads nock, which patches
// the network stack while it is active.
import { Readable } from 'node:stream';
import nock from 'nock';
import {
  bodyOf,
  DEFAULT_WORKLOAD,
  faultFor,
  sitePath,
  TRICKLE_INTERVAL_MS,
  type Workload,
} from './workload.ts';

export interface MockedSites {
  origin: string;
  siteUrl(n: number): string;
  /** Requests intercepted so far. */
  requests(): number;
  /** The most requests in flight at once (from nock's request/replied events). */
  peakInFlight(): number;
  /** How many times site n was requested. */
  hits(n: number): number;
  /** Remove the interceptors and let the network be. */
  done(): void;
}

// The body a byte at a time, one every TRICKLE_INTERVAL_MS, as the server's trickle sends it.
function trickleOf(body: Buffer): Readable {
  let sent = 0;
  let timer: NodeJS.Timeout | undefined;
  return new Readable({
    read() {
      timer = setTimeout(() => {
        sent += 1;
        this.push(body.subarray(sent - 1, sent));
        if (sent === body.length) this.push(null);
      }, TRICKLE_INTERVAL_MS);
    },
    destroy(error, callback) {
      clearTimeout(timer);
      callback(error);
    },
  });
}

const resetError = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

/**
 * Mock `count` sites at `origin` (any host: nothing listens there), each
 * answering once. Latency goes through nock's delay, which holds back the end
 * of the body, so a client measures it the way it measures a slow server.
 */
export function mockSites(
  count: number,
  workload: Partial<Workload> = {},
  origin = 'http://sites.test',
): MockedSites {
  const w: Workload = { ...DEFAULT_WORKLOAD, ...workload };
  const body = bodyOf(w.bytes);
  const scope = nock(origin);
  const hitCounts = new Map<number, number>();
  let requests = 0;
  let inFlight = 0;
  let peak = 0;
  const settle = () => {
    inFlight -= 1;
  };
  scope.on('request', (req: { url: string }) => {
    const n = Number(new URL(req.url).pathname.split('/').pop());
    hitCounts.set(n, (hitCounts.get(n) ?? 0) + 1);
    requests += 1;
    inFlight += 1;
    peak = Math.max(peak, inFlight);
  });
  scope.on('replied', settle);

  for (let n = 0; n < count; n++) {
    const interceptor = scope.get(sitePath(n));
    const fault = faultFor(n, w.faults);
    if (fault === 'error') {
      interceptor.delay(w.latencyMs).reply(500, 'injected failure\n');
    } else if (fault === 'reset') {
      interceptor.reply(async () => {
        await new Promise((resolve) => setTimeout(resolve, w.latencyMs));
        settle();
        throw resetError();
      });
    } else if (fault === 'stall') {
      // Never answers: the client's own timeout has to give up on it.
      interceptor.reply(() => new Promise(() => {}));
    } else if (fault === 'trickle') {
      // Headers after the latency, then the body a byte at a time.
      interceptor
        .delay(w.latencyMs)
        .reply(() => [
          200,
          trickleOf(body),
          { 'content-type': 'text/plain', 'content-length': String(body.length) },
        ]);
    } else {
      interceptor.delay(w.latencyMs).reply(200, body, { 'content-type': 'text/plain' });
    }
  }

  return {
    origin,
    siteUrl: (n) => `${origin}${sitePath(n)}`,
    requests: () => requests,
    peakInFlight: () => peak,
    hits: (n) => hitCounts.get(n) ?? 0,
    done: () => {
      scope.removeAllListeners();
      nock.abortPendingRequests();
      nock.cleanAll();
    },
  };
}
