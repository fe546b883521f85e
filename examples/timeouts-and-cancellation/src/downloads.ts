// What every strategy here downloads with, and how it reads the server's view.
//
// The sites server keeps a record per request (recordRequests): when it
// arrived, when it ended, and whether it was answered or closed by the client
// first. A timeout's claim ("nothing is left in flight") is then counted by
// the server, not assumed by the client.
import type { RequestRecord, SitesServer } from '@lab/sites';
import { type Dispatcher, request } from 'undici';

/** Now, in ms since the Unix epoch: comparable with the server thread's records and Python's time.time(). */
export const epochMs = () => performance.timeOrigin + performance.now();

/**
 * Download one site and read its body. With a signal, aborting it closes the
 * request at once (undici destroys the connection, and the server sees it
 * closed); without one, nothing but the answer ends it.
 */
export async function download(
  url: string,
  dispatcher: Dispatcher,
  signal?: AbortSignal,
): Promise<number> {
  const { body } = await request(url, { dispatcher, signal });
  return (await body.arrayBuffer()).byteLength;
}

/** How many requests the server had in flight at time t (epoch ms). */
export const inFlightAt = (records: RequestRecord[], t: number) =>
  records.filter((r) => r.start <= t && (r.end === null || r.end > t)).length;

/** The in-flight count as steps [ms since origin, count], one per change: what the report draws. */
export function inFlightSteps(records: RequestRecord[], origin: number): [number, number][] {
  const events = records.flatMap((r) => [
    [r.start - origin, 1],
    ...(r.end === null ? [] : [[r.end - origin, -1]]),
  ]) as [number, number][];
  events.sort((a, b) => a[0] - b[0]);
  const steps: [number, number][] = [[0, 0]];
  let count = 0;
  for (const [ms, step] of events) {
    count += step;
    steps.push([Math.round(ms * 10) / 10, count]);
  }
  return steps;
}

/** Wait until the server has nothing in flight (it learns of a client's abort a moment after the client). */
export async function quiet(server: SitesServer, limitMs = 5000): Promise<void> {
  const until = epochMs() + limitMs;
  while ((await server.stats()).inFlight > 0) {
    if (epochMs() > until)
      throw new Error(`the server still has requests in flight after ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Milliseconds with one decimal, for the lines each strategy prints. */
export const ms = (value: number) => `${value.toFixed(1)} ms`;
