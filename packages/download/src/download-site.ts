// Downloading one site: the notes' download_site(), shared by every variant
// (one after another, a pool, threads, processes, all at once), because it
// is the one part that does not change between them. What changes is who
// calls it, and how many calls are in flight at once.
//
//   with session.get(url) as response:
//       print(f"Read {len(response.content)} from {url}")
//
// is undici's request() on the session, and the body read to its end. A
// failure (5xx, reset, refused, the deadline, a closed session) is a result
// that names it, never a throw. It measures nothing: whoever wants the
// times listens to undici's diagnostics channels. A pool member imports
// just this file.
import { type Dispatcher, request } from 'undici';
import { describeFailure, TimedOut } from './failure.ts';
import { deadlineOf } from './session.ts';

export interface SiteResult {
  url: string;
  ok: boolean;
  /** Body bytes read (0 on failure). */
  bytes: number;
  /** Why it failed: "HTTP 500", "connection reset (ECONNRESET)", "timed out after 10000 ms", "cancelled". */
  error?: string;
}

/**
 * Download one site through a session (an undici Agent), within `timeoutMs`
 * from the call: the wait for a connection, the headers, the body. By
 * default, the session's own deadline (a Session's `timeoutMs`), or 10 s.
 * Never throws: a failure is a result.
 */
export async function downloadSite(
  url: string,
  session: Dispatcher,
  timeoutMs = deadlineOf(session),
): Promise<SiteResult> {
  // aiohttp's ClientTimeout(total=...): one deadline over the whole download,
  // a timer cleared when it ends. (Ctrl-C is the session's: it is destroyed,
  // failing every request at once.)
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new TimedOut()), timeoutMs);
  try {
    const response = await request(url, { dispatcher: session, signal: deadline.signal });
    let bytes = 0;
    for await (const chunk of response.body) bytes += (chunk as Buffer).length;
    if (response.statusCode >= 400)
      return { url, ok: false, bytes: 0, error: `HTTP ${response.statusCode}` };
    return { url, ok: true, bytes };
  } catch (error) {
    return { url, ok: false, bytes: 0, error: describeFailure(error, timeoutMs) };
  } finally {
    clearTimeout(timer);
  }
}
