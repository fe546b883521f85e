// How a failed download is named: one short reason a reader can act on,
// the same words whichever way the site was downloaded.

export const CANCELLED = 'cancelled';

/** The start of the reason for a process out of file descriptors; report.ts names the limit. */
export const OUT_OF_DESCRIPTORS = 'out of file descriptors';

/** The reason a download's deadline aborts it with. */
export class TimedOut extends Error {
  override name = 'TimeoutError';
}

/** The reason a session is destroyed with on Ctrl-C: its requests fail with it. */
export class Cancelled extends Error {
  override name = 'CancelledError';
  constructor() {
    super(CANCELLED);
  }
}

export function describeFailure(error: unknown, timeoutMs: number): string {
  const { code, name, message } = error as { code?: string; name?: string; message?: string };
  // The session was destroyed (Ctrl-C), with the request in it or before it.
  if (name === 'CancelledError' || code === 'UND_ERR_DESTROYED') return CANCELLED;
  // The deadline (TimedOut, as AbortSignal.timeout's reason is named), or undici's own timeouts.
  if (
    name === 'TimeoutError' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT'
  ) {
    return `timed out after ${timeoutMs} ms`;
  }
  if (code === 'EMFILE' || code === 'ENFILE') return `${OUT_OF_DESCRIPTORS} (${code})`;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return `connection reset (${code})`;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  return code ? `${message ?? 'failed'} (${code})` : (message ?? String(error));
}
