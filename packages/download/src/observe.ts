// What a run's downloads did, observed from outside them: the lesson is
// handed no callback. On this thread, undici publishes each request on its
// diagnostics channels (node:diagnostics_channel): created (it left the
// session's queue for a connection), its headers, its body's chunks, its
// end or its failure. Worker threads and child processes have channels of
// their own, which this thread cannot hear; for them, Node's own events:
// process.on('worker') names every new thread, the 'child_process' channel
// every new process, and each member's messages can be listened to beside
// the lesson's own listener. A member's first message is its "ready" (its
// start-up ends there); each one after it is a site's result, and the time
// since its previous message is that site's row. On Ctrl-C, the members
// seen are ended: nothing outlives the run.
import type { ChildProcess } from 'node:child_process';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Worker } from 'node:worker_threads';
import { eventTime } from '@lab/harness';
import type { SiteResult } from './download-site.ts';

/** Epoch ms (performance.timeOrigin + now): one clock for every thread. */
export const epochNow = () => performance.timeOrigin + performance.now();
/** When a channel's event happened, in ms since the epoch: the time the trace reads for it too. */
const eventMs = (message: unknown) => eventTime(message) / 1000;

/** [start, first byte | null, end], epoch ms. */
type Row = [number, number | null, number | null];

interface Request {
  origin?: string;
  path?: string;
}

export interface Observed {
  /** [startMs, firstByteMs | null, endMs] per request, from `startedAt`, in the order they started. */
  requests: Array<[number, number | null, number]>;
  /** From the first member's creation to the last one's first message (its "ready"); null: no members. */
  startupMs: number | null;
}

export interface ObserveOptions {
  /** Called as each site ends: ok, or not (the progress bar, --verbose's lines). */
  onSite(ok: boolean, bytes: number, url: string): void;
  /** Count each response's bytes (for onSite's `bytes`). */
  countBytes: boolean;
  signal: AbortSignal;
}

const tenth = (ms: number) => Math.round(ms * 10) / 10;

/** Observe until stop(). */
export function observeDownloads({ onSite, countBytes, signal }: ObserveOptions) {
  // Every row, in the order the requests started; the state of those in flight.
  const rows: Row[] = [];
  const inFlight = new Map<object, { row: Row; status: number; bytes: number }>();
  const created: number[] = [];
  const ready: number[] = [];
  const ends: Array<() => void> = [];
  const urlOf = (r: Request) => `${r.origin ?? ''}${r.path ?? ''}`;
  const ended = (request: Request, ok: (status: number) => boolean, at: number) => {
    const state = inFlight.get(request);
    inFlight.delete(request);
    if (state) state.row[2] = at;
    const success = state !== undefined && ok(state.status);
    onSite(success, success ? state.bytes : 0, urlOf(request));
  };

  const channels: Record<string, (message: unknown) => void> = {
    'undici:request:create': (m) => {
      const row: Row = [eventMs(m), null, null];
      rows.push(row);
      inFlight.set((m as { request: object }).request, { row, status: 0, bytes: 0 });
    },
    'undici:request:headers': (m) => {
      const { request, response } = m as { request: object; response: { statusCode: number } };
      const state = inFlight.get(request);
      if (!state) return;
      state.row[1] = eventMs(m);
      state.status = response.statusCode;
    },
    'undici:request:trailers': (m) =>
      ended((m as { request: Request }).request, (s) => s < 400, eventMs(m)),
    'undici:request:error': (m) =>
      ended((m as { request: Request }).request, () => false, eventMs(m)),
    // A child process was created (fork, spawn): a pool member.
    child_process: (m) => {
      const child = (m as { process: ChildProcess }).process;
      ends.push(() => child.kill());
      member(child);
    },
  };
  if (countBytes) {
    channels['undici:request:bodyChunkReceived'] = (m) => {
      const { request, chunk } = m as { request: object; chunk: Buffer };
      const state = inFlight.get(request);
      if (state) state.bytes += chunk.length;
    };
  }

  function member(emitter: Worker | ChildProcess) {
    created.push(epochNow());
    let last: number | null = null;
    emitter.on('message', (message: unknown) => {
      const at = epochNow();
      if (last === null) ready.push(at);
      else {
        rows.push([last, at, at]);
        const result = message as Partial<SiteResult>;
        if (typeof result === 'object' && result !== null && 'ok' in result)
          onSite(Boolean(result.ok), result.bytes ?? 0, result.url ?? '');
      }
      last = at;
    });
  }
  const onWorker = (worker: Worker) => {
    ends.push(() => void worker.terminate());
    member(worker);
  };
  const onAbort = () => {
    for (const end of ends) end();
  };

  for (const [name, listener] of Object.entries(channels)) subscribe(name, listener);
  process.on('worker', onWorker);
  signal.addEventListener('abort', onAbort, { once: true });

  return {
    stop(startedAt: number): Observed {
      const stoppedAt = epochNow();
      for (const [name, listener] of Object.entries(channels)) unsubscribe(name, listener);
      process.off('worker', onWorker);
      signal.removeEventListener('abort', onAbort);
      const from = (t: number) => tenth(t - startedAt);
      const requests = rows
        .sort((a, b) => a[0] - b[0])
        .map(([start, first, end]): [number, number | null, number] => [
          from(start),
          first === null ? null : from(first),
          from(end ?? stoppedAt),
        ]);
      const startupMs =
        created.length > 0 && ready.length === created.length
          ? tenth(Math.max(...ready) - Math.min(...created))
          : null;
      return { requests, startupMs };
    },
  };
}
