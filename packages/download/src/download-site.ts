// Downloading one site: the notes' download_site(), shared by every variant
// (sequential, pool, threads, processes, all at once) because it is the one
// part that does not change between them. What changes is who calls it, and
// how many calls are in flight at once.
import { once } from 'node:events';
import { type Dispatcher, request } from 'undici';

export interface SiteResult {
  url: string;
  ok: boolean;
  /** Body bytes read (0 on failure). */
  bytes: number;
  /** Why it failed: "HTTP 500", "connection reset", "timed out after 10000 ms", "cancelled". */
  error?: string;
}

export interface SiteOptions {
  /** Give up on a site that sends nothing for this long: no headers, or no more of the body. */
  timeoutMs: number;
  /** The run's signal: aborted on Ctrl-C. */
  signal: AbortSignal;
  /** Close the connection after this request, so the next one opens a new one. */
  newConnection?: boolean;
}

export const CANCELLED = 'cancelled';

/** Download one site through a dispatcher (a connection pool). Never throws: a failure is a result. */
export async function downloadSite(
  url: string,
  dispatcher: Dispatcher,
  options: SiteOptions,
): Promise<SiteResult> {
  try {
    // The timeouts run from when the request is on the wire, so time spent
    // waiting for a free connection (a pool's queue) does not count against a site.
    const response = await request(url, {
      dispatcher,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      reset: options.newConnection ?? false,
    });
    if (response.statusCode >= 400) {
      await response.body.dump();
      return { url, ok: false, bytes: 0, error: `HTTP ${response.statusCode}` };
    }
    // Count the bytes as they arrive rather than keeping the whole body.
    let bytes = 0;
    response.body.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    await once(response.body, 'end');
    return { url, ok: true, bytes };
  } catch (error) {
    return { url, ok: false, bytes: 0, error: describe(error, options) };
  }
}

function describe(error: unknown, options: SiteOptions): string {
  if (options.signal.aborted) return CANCELLED;
  const { code, message } = error as { code?: string; message?: string };
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return `timed out after ${options.timeoutMs} ms`;
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return `connection reset (${code})`;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  return code ? `${message ?? 'failed'} (${code})` : (message ?? String(error));
}
