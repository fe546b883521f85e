// Downloading one site: the notes' download_site(), shared by every variant
// (one after another, a pool, threads, processes, all at once), because it
// is the one part that does not change between them. What changes is who
// calls it, and how many calls are in flight at once.
//
//   with session.get(url) as response:
//       print(f"Read {len(response.content)} from {url}")
//
// is undici's request() on the session, and the body read to its end. A
// failure (5xx, reset, refused, the deadline) is a result that names it,
// never a throw. A pool member imports just this file.
import { type Dispatcher, request } from 'undici';
import { describeFailure, TimedOut } from './failure.ts';

/** Epoch ms (performance.timeOrigin + now), so times from worker threads line up. */
export const epochNow = () => performance.timeOrigin + performance.now();

export interface SiteTimes {
  /** downloadSite() was called. */
  startedAt: number;
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
  /** Why it failed: "HTTP 500", "connection reset (ECONNRESET)", "timed out after 10000 ms", "cancelled". */
  error?: string;
  times?: SiteTimes;
}

export interface SiteOptions {
  /** The deadline for the whole download, from this call: waiting for a connection, the headers, the body. */
  timeoutMs: number;
  /** The run's signal, aborted on Ctrl-C: the session it closes fails the download. */
  signal: AbortSignal;
  /** Close the connection after this site, as requests.get() without a Session does. */
  newConnection?: boolean;
}

/** Download one site through a session (an undici Agent). Never throws: a failure is a result. */
export async function downloadSite(
  url: string,
  session: Dispatcher,
  { timeoutMs, signal, newConnection = false }: SiteOptions,
): Promise<SiteResult> {
  const times: SiteTimes = { startedAt: epochNow(), firstByteAt: null, endedAt: 0 };
  // aiohttp's ClientTimeout(total=...): one deadline over the whole download,
  // a timer cleared when it ends. (Ctrl-C is the session's: openSession()
  // destroys it, failing every request at once.)
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new TimedOut()), timeoutMs);
  try {
    const response = await request(url, {
      dispatcher: session,
      signal: deadline.signal,
      reset: newConnection,
    });
    times.firstByteAt = epochNow();
    let bytes = 0;
    for await (const chunk of response.body) bytes += (chunk as Buffer).length;
    times.endedAt = epochNow();
    if (response.statusCode >= 400)
      return { url, ok: false, bytes: 0, error: `HTTP ${response.statusCode}`, times };
    return { url, ok: true, bytes, times };
  } catch (error) {
    times.endedAt = epochNow();
    return { url, ok: false, bytes: 0, error: describeFailure(error, timeoutMs, signal), times };
  } finally {
    clearTimeout(timer);
  }
}
