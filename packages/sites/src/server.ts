// The embedded "slow sites" server: a real HTTP/1.1 server on 127.0.0.1 that
// answers /site/<n> after a latency, so the examples have something real to
// wait for. It counts every request and the peak number in flight at once:
// that peak is how a pool proves its bound (count, don't time).
//
// It is meant to cost as little as node:http allows, so a client measured
// against it measures the client: at latency 0 a site is answered in the same
// turn of the event loop that parsed its request (a setTimeout(fn, 0) would be
// clamped to 1 ms, and a one-at-a-time client would then wait on the server),
// and the 200 response's headers are built once, not per request.
import { closeSync, openSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo, Server as NetServer, type Socket } from 'node:net';
import {
  bodyOf,
  DEFAULT_WORKLOAD,
  faultFor,
  latencyFor,
  siteNumber,
  TRICKLE_INTERVAL_MS,
  WARM_UP_PATH,
  type Workload,
} from './workload.ts';

export interface SitesStats {
  /** Requests for /site/<n> received. */
  requests: number;
  /** Requests being answered right now. */
  inFlight: number;
  /** The most requests ever in flight at once. */
  peakInFlight: number;
  /** TCP connections accepted. */
  connections: number;
  /** Responses sent by fault: errors (500), resets, stalls, trickles. */
  faults: { error: number; reset: number; stall: number; trickle: number };
  /**
   * Times the server found its process out of file descriptors (EMFILE,
   * ENFILE), when it cannot accept a connection. Each time it stops
   * listening for ACCEPT_PAUSE_MS: the connections waiting are reset and new
   * ones refused, so their clients fail at once; this count says why.
   */
  acceptErrors: number;
  /** The code of the last accept error, e.g. "EMFILE"; null if none. */
  acceptError: string | null;
  /** CPU time the server's thread used since the counters were reset, in ms. */
  cpuMs: number;
}

/**
 * One request for /site/<n>, as the server saw it (kept only with
 * `recordRequests`): when it arrived and when it ended, in ms since the Unix
 * epoch (performance.timeOrigin + performance.now(), so threads and processes
 * compare), and whether it was answered or closed by the client first.
 */
export interface RequestRecord {
  site: number;
  start: number;
  /** null while still in flight. */
  end: number | null;
  /** false when the client closed it (aborted) before the answer was sent. */
  answered: boolean;
}

/** How long the server stops listening when the process is out of file descriptors. */
export const ACCEPT_PAUSE_MS = 100;
/** How often the server checks that the process can still open a file descriptor. */
export const DESCRIPTOR_PROBE_MS = 25;
const devNull = '/dev/null';

// net.Server's close stops listening and nothing else; http.Server's also
// closes the idle keep-alive connections, which a pause must not do.
const netServerClose = NetServer.prototype.close;

export interface SitesServer {
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  port: number;
  siteUrl(n: number): string;
  /** The counters. Async, because the server may run on another thread (thread.ts). */
  stats(): Promise<SitesStats>;
  /** How many times each site was requested: counts[n] for site n. */
  hits(): Promise<number[]>;
  resetStats(): Promise<void>;
  /** Every request since the last reset, with `recordRequests`; [] without. */
  requests(): Promise<RequestRecord[]>;
  /** Close every connection (stalled ones too) and stop listening. */
  close(): Promise<void>;
}

export interface SitesServerOptions extends Partial<Workload> {
  /** 0 (the default) lets the OS pick a free port. */
  port?: number;
  /** Keep a RequestRecord per request (off by default: a long run's list would grow). */
  recordRequests?: boolean;
}

// A reset keeps the requests still in flight: they will finish and count down.
const freshStats = (inFlight = 0): SitesStats => ({
  requests: 0,
  inFlight,
  peakInFlight: 0,
  connections: 0,
  faults: { error: 0, reset: 0, stall: 0, trickle: 0 },
  acceptErrors: 0,
  acceptError: null,
  cpuMs: 0,
});

const threadCpuMs = () => {
  const { user, system } = process.threadCpuUsage();
  return (user + system) / 1000;
};

/** Start a sites server on 127.0.0.1 (never any other address). */
export async function startSitesServer(options: SitesServerOptions = {}): Promise<SitesServer> {
  const { port = 0, recordRequests = false, ...rest } = options;
  const workload: Workload = { ...DEFAULT_WORKLOAD, ...rest };
  const body = bodyOf(workload.bytes);
  // Built once: a flat [name, value, ...] list is the cheapest form writeHead takes.
  const okHeaders = ['content-type', 'text/plain', 'content-length', String(body.length)];
  let stats = freshStats();
  let cpuAtReset = threadCpuMs();
  let hitCounts = new Map<number, number>();
  let records: RequestRecord[] = [];
  const epochMs = () => performance.timeOrigin + performance.now();
  // Sockets that have not answered yet: their first response pays the handshake.
  const fresh = new WeakSet<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const trickles = new Set<NodeJS.Timeout>();

  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  const serveSite = (n: number, req: IncomingMessage, res: ServerResponse) => {
    stats.requests += 1;
    hitCounts.set(n, (hitCounts.get(n) ?? 0) + 1);
    stats.inFlight += 1;
    stats.peakInFlight = Math.max(stats.peakInFlight, stats.inFlight);
    let done = false;
    const record: RequestRecord | null = recordRequests
      ? { site: n, start: epochMs(), end: null, answered: false }
      : null;
    if (record) records.push(record);
    const finish = () => {
      if (done) return;
      done = true;
      stats.inFlight -= 1;
      if (record) {
        record.end = epochMs();
        record.answered = res.writableFinished;
      }
    };
    res.on('close', finish);

    let delay = latencyFor(workload);
    if (fresh.has(req.socket)) {
      fresh.delete(req.socket);
      delay += workload.handshakeMs;
    }
    const fault = faultFor(n, workload.faults);
    if (fault) stats.faults[fault] += 1;
    if (fault === 'stall') return; // answered never; 'close' fires when the client gives up
    const answer = () => {
      if (res.destroyed) return;
      if (fault === 'reset') {
        req.socket.resetAndDestroy();
      } else if (fault === 'error') {
        res.writeHead(500, { 'content-type': 'text/plain' }).end('injected failure\n');
      } else if (fault === 'trickle') {
        trickle(res);
      } else {
        res.writeHead(200, okHeaders).end(body);
      }
    };
    // Latency 0 answers now: no timer, no clamp, nothing queued.
    if (delay > 0) later(delay, answer);
    else answer();
  };

  // Headers at once, then one byte every TRICKLE_INTERVAL_MS: the connection
  // is never idle for long, so only a deadline on the whole download ends it.
  const trickle = (res: ServerResponse) => {
    res.writeHead(200, okHeaders);
    res.flushHeaders();
    let sent = 0;
    const timer = setInterval(() => {
      if (res.destroyed) return stop();
      res.write(body.subarray(sent, sent + 1));
      sent += 1;
      if (sent === body.length) {
        res.end();
        stop();
      }
    }, TRICKLE_INTERVAL_MS);
    const stop = () => {
      clearInterval(timer);
      trickles.delete(timer);
    };
    trickles.add(timer);
    res.on('close', stop);
  };

  const snapshot = (): SitesStats => ({
    ...structuredClone(stats),
    cpuMs: Math.round((threadCpuMs() - cpuAtReset) * 10) / 10,
  });

  const resetStats = () => {
    stats = freshStats(stats.inFlight);
    hitCounts = new Map();
    records = [];
    cpuAtReset = threadCpuMs();
  };

  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    const n = siteNumber(path);
    if (req.method === 'GET' && n !== null) return serveSite(n, req, res);
    // A site's answer at once, counted nowhere: what a client's warm-up asks
    // for, so the code it compiles is the code a run's downloads take.
    if (req.method === 'GET' && path === WARM_UP_PATH)
      return res.writeHead(200, okHeaders).end(body);
    if (req.method === 'GET' && path === '/stats') {
      return res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ ...snapshot(), workload }));
    }
    if (req.method === 'POST' && path === '/stats/reset') {
      resetStats();
      return res.writeHead(204).end();
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /site/0\n');
  });
  // A long keep-alive so a sequential client really keeps its one connection.
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket: Socket) => {
    stats.connections += 1;
    fresh.add(socket);
  });
  // Out of descriptors, accept() fails. libuv keeps one spare descriptor for
  // that moment (it frees it, accepts and closes what waits, and opens it
  // again), but when the server shares its process with the client
  // (thread.ts), the client's next socket can take the spare first. From then
  // on accept() fails with nothing reported to JavaScript, the listening
  // socket stays readable, and the thread spins at 100% CPU while the
  // connections waiting to be accepted hang until their client gives up.
  // So the server checks, every DESCRIPTOR_PROBE_MS, that the process can
  // still open a descriptor; when it cannot, it stops listening (that ends
  // the spin: the connections waiting are reset and new ones refused, at
  // once, so their client fails fast and can say why) and listens again on
  // the same port ACCEPT_PAUSE_MS later.
  let closing = false;
  let paused: NodeJS.Timeout | undefined;
  const outOfDescriptors = (code: string) => {
    stats.acceptErrors += 1;
    stats.acceptError = code;
    if (server.listening) netServerClose.call(server); // only the listening socket; connections stay
    paused ??= setTimeout(relisten, ACCEPT_PAUSE_MS);
  };
  const relisten = () => {
    paused = undefined;
    if (closing || server.listening) return;
    server.listen(boundPort, '127.0.0.1');
  };
  const probe = setInterval(() => {
    if (closing || !server.listening) return;
    try {
      closeSync(openSync(devNull, 'r'));
    } catch (error) {
      const { code } = error as NodeJS.ErrnoException;
      if (code === 'EMFILE' || code === 'ENFILE') outOfDescriptors(code);
      else clearInterval(probe); // no /dev/null here: no probe
    }
  }, DESCRIPTOR_PROBE_MS);
  probe.unref();
  const onServerError = (error: NodeJS.ErrnoException) => {
    if (closing) return;
    // Listening again can fail too (no descriptor for its socket yet): wait again.
    if (error.syscall !== 'accept') paused ??= setTimeout(relisten, ACCEPT_PAUSE_MS);
    else if (error.code === 'EMFILE' || error.code === 'ENFILE') outOfDescriptors(error.code);
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      server.on('error', onServerError);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const boundPort = address.port;
  const origin = `http://127.0.0.1:${address.port}`;

  return {
    origin,
    port: address.port,
    siteUrl: (n) => `${origin}/site/${n}`,
    stats: async () => snapshot(),
    hits: async () => {
      const counts: number[] = [];
      for (const [n, count] of hitCounts) counts[n] = count;
      return Array.from(counts, (count) => count ?? 0);
    },
    resetStats: async () => resetStats(),
    requests: async () => structuredClone(records),
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        clearTimeout(paused);
        clearInterval(probe);
        for (const timer of timers) clearTimeout(timer);
        for (const timer of trickles) clearInterval(timer);
        timers.clear();
        trickles.clear();
        // Paused, the server still has its connections: close() waits for them
        // and calls back when they are gone (with "not running", ignored here).
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
