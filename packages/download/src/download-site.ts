// Downloading one site: the notes' download_site(), shared by every variant
// (sequential, pool, threads, processes, all at once) because it is the one
// part that does not change between them. What changes is who calls it, and
// how many calls are in flight at once.
//
// It talks to undici's dispatcher directly, with a handler of its own, rather
// than through request(): a site's body is only counted, never kept, so there
// is no need for the Readable stream, the promise per chunk and the abort
// plumbing that request() builds for every response. At 10,000 sites that is
// most of the client's CPU and memory; here a site costs one small object,
// one promise and one timer.
//
// This file is what a worker thread or a forked process imports to download
// (@lab/download/download-site): it imports undici and nothing else, so each
// member of a pool loads a small module graph.
import type { Dispatcher } from 'undici';

/** When each step of one download happened: epoch ms (performance.timeOrigin + now), so times from worker threads line up. */
export interface SiteTimes {
  /** downloadSite() was called. */
  startedAt: number;
  /** The request was handed to a socket and written (null: it never was). */
  sentAt: number | null;
  /** The response's headers arrived (null: they never did). */
  firstByteAt: number | null;
  /** The download ended, one way or another. */
  endedAt: number;
}

export interface SiteResult {
  url: string;
  ok: boolean;
  /** Body bytes read (0 on failure). */
  bytes: number;
  /** Why it failed: "HTTP 500", "connection reset", "timed out after 10000 ms", "cancelled". */
  error?: string;
  times?: SiteTimes;
}

export interface SiteOptions {
  /**
   * The deadline for the whole download: connecting, the headers and the
   * body. A site that trickles its body a byte at a time is cut off at it.
   * The clock starts when the request is given a connection of its own (see
   * ON_ASSIGNED), so time spent waiting in a pool's queue is not charged to it.
   */
  timeoutMs: number;
  /** The run's signal: aborted on Ctrl-C. */
  signal: AbortSignal;
  /** Close the connection after this request, so the next one opens a new one. */
  newConnection?: boolean;
}

export const CANCELLED = 'cancelled';

/**
 * A handler method a dispatcher calls when it hands the request to a
 * connection (a Client) of its own; session.ts's Agent does. Until then the
 * request waits in the pool's queue, and its deadline has not started.
 */
export const ON_ASSIGNED = Symbol('download-site: assigned to a connection');

/** Marks a dispatcher that calls ON_ASSIGNED (otherwise the deadline starts at once). */
export const CALLS_ON_ASSIGNED = Symbol('download-site: calls ON_ASSIGNED');

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across threads. */
export const epochNow = () => performance.timeOrigin + performance.now();

class TimedOut extends Error {
  code = 'LAB_TIMED_OUT';
}

type Controller = Dispatcher.DispatchController;

/** One download as an undici dispatch handler: counts bytes, keeps times, enforces the deadline. */
class SiteDownload implements Dispatcher.DispatchHandler {
  readonly url: string;
  readonly options: SiteOptions;
  readonly settle: (result: SiteResult) => void;
  readonly times: SiteTimes;
  controller: Controller | null = null;
  timer: NodeJS.Timeout | null = null;
  /** Set when the deadline passed before the request reached a socket: abort it when it does. */
  reason: Error | null = null;
  status = 0;
  bytes = 0;
  done = false;

  constructor(url: string, options: SiteOptions, settle: (result: SiteResult) => void) {
    this.url = url;
    this.options = options;
    this.settle = settle;
    this.times = { startedAt: epochNow(), sentAt: null, firstByteAt: null, endedAt: 0 };
  }

  /** Start the deadline: now, or when the dispatcher gives the request a connection. */
  [ON_ASSIGNED]() {
    if (this.timer || this.done) return;
    this.timer = setTimeout(() => this.expire(), this.options.timeoutMs);
  }

  expire() {
    const error = new TimedOut(`timed out after ${this.options.timeoutMs} ms`);
    // Report it now, whatever the socket is doing; cut the request off as soon as we can.
    if (this.controller) this.controller.abort(error);
    else this.reason = error;
    this.finish(error);
  }

  onRequestStart(controller: Controller) {
    this.controller = controller;
    if (this.reason) return controller.abort(this.reason);
    this.times.sentAt = epochNow();
  }

  onResponseStart(controller: Controller, statusCode: number) {
    // undici keeps the response's raw header bytes on the controller, and
    // they are slices of the socket's read: the whole answer, body and all.
    // A request that waited in the queue has lived long enough for V8 to
    // move it to the old generation, and what an old object points to is
    // kept until the next full collection, not the next quick one: at 10,000
    // sites that held up to 65 MB of answers already counted (peak memory
    // 229-251 MB, 179-195 MB without it). The headers are parsed by now.
    (controller as { rawHeaders?: unknown }).rawHeaders = null;
    this.times.firstByteAt = epochNow();
    this.status = statusCode;
  }

  onResponseData(_controller: Controller, chunk: Buffer) {
    // Count the bytes as they arrive rather than keeping the whole body.
    this.bytes += chunk.length;
  }

  onResponseEnd() {
    this.finish(null);
  }

  onResponseError(_controller: Controller | null, error: Error) {
    this.finish(error);
  }

  finish(error: Error | null) {
    if (this.done) return;
    this.done = true;
    if (this.timer) clearTimeout(this.timer);
    this.times.endedAt = epochNow();
    const { url, times } = this;
    if (error) {
      this.settle({ url, ok: false, bytes: 0, error: describe(error, this.options), times });
    } else if (this.status >= 400) {
      this.settle({ url, ok: false, bytes: 0, error: `HTTP ${this.status}`, times });
    } else {
      this.settle({ url, ok: true, bytes: this.bytes, times });
    }
  }
}

// The last origin seen: a run asks for thousands of URLs on one or two hosts,
// and parsing each into a URL object would make garbage of every one of them.
let lastOrigin = '';

/** A URL's origin and path, without building a URL object when the origin is the last one's. */
function splitUrl(url: string): { origin: string; path: string } | Error {
  const plain = !url.includes('#');
  if (
    plain &&
    lastOrigin &&
    url.startsWith(lastOrigin) &&
    url.charCodeAt(lastOrigin.length) === 47
  ) {
    return { origin: lastOrigin, path: url.slice(lastOrigin.length) };
  }
  try {
    const parsed = new URL(url);
    lastOrigin = parsed.origin;
    return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
  } catch (error) {
    return error as Error;
  }
}

/** Download one site through a dispatcher (a connection pool). Never throws: a failure is a result. */
export function downloadSite(
  url: string,
  dispatcher: Dispatcher,
  options: SiteOptions,
): Promise<SiteResult> {
  return new Promise((settle) => {
    const download = new SiteDownload(url, options, settle);
    if (options.signal.aborted) return download.finish(new Error(CANCELLED));
    const target = splitUrl(url);
    if (target instanceof Error) return download.finish(target);
    dispatcher.dispatch(
      {
        origin: target.origin,
        path: target.path,
        method: 'GET',
        // undici's own inactivity bounds, at the same value: they start later
        // (once the request is written), so the total deadline always comes first.
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
        reset: options.newConnection ?? false,
      },
      download,
    );
    // A dispatcher that does not say when it assigns a connection: the deadline runs from now.
    if (!(CALLS_ON_ASSIGNED in dispatcher)) download[ON_ASSIGNED]();
  });
}

/**
 * The same URL `count` times, all at once, through one dispatcher: what the
 * warm-up and --preconnect send before the clock.
 */
export function downloadTogether(
  url: string,
  count: number,
  dispatcher: Dispatcher,
  options: SiteOptions,
): Promise<SiteResult[]> {
  return Promise.all(Array.from({ length: count }, () => downloadSite(url, dispatcher, options)));
}

/** The advice for a process out of file descriptors; run.ts names the limit. */
export const OUT_OF_DESCRIPTORS = 'out of file descriptors';

function describe(error: unknown, options: SiteOptions): string {
  if (options.signal.aborted) return CANCELLED;
  const { code, message } = error as { code?: string; message?: string };
  if (
    code === 'LAB_TIMED_OUT' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT'
  ) {
    return `timed out after ${options.timeoutMs} ms`;
  }
  if (code === 'EMFILE' || code === 'ENFILE') return `${OUT_OF_DESCRIPTORS} (${code})`;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return `connection reset (${code})`;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  return code ? `${message ?? 'failed'} (${code})` : (message ?? String(error));
}
