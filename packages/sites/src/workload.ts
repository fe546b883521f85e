// One description of the slow-sites workload, shared by the real server
// (server.ts) and its nock twin (nock.ts), so a test and a real run ask for
// the same thing in the same words.

/** Shares (0..1) of sites that misbehave, each in its own way. */
export interface Faults {
  /** Answer 500 after the latency. */
  error: number;
  /** Destroy the connection after the latency (the client sees a reset). */
  reset: number;
  /** Never answer: hold the request until the client gives up. */
  stall: number;
  /**
   * Send the headers at once, then the body a byte at a time (one every
   * TRICKLE_INTERVAL_MS): never silent long enough for an inactivity timeout,
   * so only a bound on the whole download stops it. Optional: none when absent.
   */
  trickle?: number;
}

export interface Workload {
  /** How long the server waits before answering each request. */
  latencyMs: number;
  /** Size of each response body. */
  bytes: number;
  /** Each latency varies by up to this much either way. */
  jitterMs: number;
  /** Extra delay on the first response of each new connection (a stand-in for TCP/TLS set-up). */
  handshakeMs: number;
  faults: Faults;
}

export type Fault = keyof Faults;

export const NO_FAULTS: Faults = { error: 0, reset: 0, stall: 0, trickle: 0 };

/** How often a trickling site sends its next byte. */
export const TRICKLE_INTERVAL_MS = 50;

/** The fault kinds, in the order faultFor() lays their shares out. */
export const FAULT_KINDS: readonly Fault[] = ['error', 'reset', 'stall', 'trickle'];

export const DEFAULT_WORKLOAD: Workload = {
  latencyMs: 100,
  bytes: 10 * 1024,
  jitterMs: 0,
  handshakeMs: 0,
  faults: NO_FAULTS,
};

/** The path of site n. */
export const sitePath = (n: number) => `/site/${n}`;

/** Parse a site number out of a path, or null if the path is not /site/<n>. */
/** A site's body at once, with no latency and no fault, not counted in the stats: for warming a client up. */
export const WARM_UP_PATH = '/warm-up';

export function siteNumber(path: string): number | null {
  const match = /^\/site\/(\d+)$/.exec(path.split('?')[0] ?? '');
  return match ? Number(match[1]) : null;
}

// The golden ratio spreads n * PHI evenly over [0, 1), so a share p of any
// run of consecutive sites gets a fault, deterministically: a test can know in
// advance exactly which sites will fail.
const PHI = (Math.sqrt(5) - 1) / 2;

/** Which fault (if any) site n has under these shares. */
export function faultFor(n: number, faults: Faults): Fault | null {
  const u = ((n + 1) * PHI) % 1;
  let edge = 0;
  for (const kind of FAULT_KINDS) {
    edge += faults[kind] ?? 0;
    if (u < edge) return kind;
  }
  return null;
}

/**
 * Why these shares cannot describe a workload (they add up to more than
 * every site), or null when they can. The one check for `pnpm sites` and
 * every download example.
 */
export function faultSharesProblem(faults: Faults): string | null {
  const total = FAULT_KINDS.reduce((sum, kind) => sum + (faults[kind] ?? 0), 0);
  // Rounded, so 0.1 + 0.2 reads as 0.3 in the message.
  return total > 1 + 1e-9
    ? `the fault shares add up to ${Number(total.toFixed(6))}, more than 1`
    : null;
}

/** One latency, with jitter. */
export function latencyFor(workload: Pick<Workload, 'latencyMs' | 'jitterMs'>): number {
  const { latencyMs, jitterMs } = workload;
  if (jitterMs <= 0) return latencyMs;
  return Math.max(0, latencyMs + (Math.random() * 2 - 1) * jitterMs);
}

/** The body every site answers with: `bytes` bytes of readable text. */
export function bodyOf(bytes: number): Buffer {
  const line = Buffer.from('concurrency-lab slow site\n');
  const body = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i += line.length) line.copy(body, i);
  return body;
}
