// A run as a trace, in the Trace Event Format that Perfetto UI and
// chrome://tracing open: `{"traceEvents": [...], "displayTimeUnit": "ms"}`.
//
// The events come from the harness's observers (observe.ts), never from the
// lessons: a request is an async slice (`b`/`e` with an id) because many are
// in flight at once on one thread, and the viewers draw overlapping `X` or
// `B`/`E` slices on one thread wrong; a counter (`C`) is a value over time
// (requests in flight, the event loop's delay, a figure measuring code
// published); an instant (`i`) is a moment (a deadline fired, an abort, a
// request cancelled); metadata (`M`) names each track.
//
// Times are microseconds since the epoch (performance.timeOrigin + now), so
// the events of a child process line up with its parent's on one axis.
import { createWriteStream, writeFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';

export interface TraceEvent {
  name: string;
  ph: 'b' | 'e' | 'C' | 'i' | 'M';
  ts?: number;
  pid: number;
  tid?: number;
  cat?: string;
  id?: string;
  s?: 't' | 'p' | 'g';
  args?: Record<string, unknown>;
}

/** Now, in microseconds since the epoch. */
export const nowUs = () => Math.round((performance.timeOrigin + performance.now()) * 1000);

const AT = Symbol.for('concurrency-lab.event-time');

/**
 * When a diagnostics-channel event happened, in µs since the epoch: read the
 * first time any subscriber asks, then kept on the message, which every
 * subscriber of one publish is handed. Two observers of one event (the
 * trace's and a record's) so tell the same time, whatever runs between them
 * (another subscriber, a collection).
 */
export function eventTime(message: unknown): number {
  const stamped = message as { [AT]?: number };
  stamped[AT] ??= nowUs();
  return stamped[AT];
}

type Args = Record<string, unknown>;

/** Where a slice is drawn: a process, and a thread in it (0: the main thread). */
export interface Track {
  pid: number;
  tid: number;
}

export const mainTrack: Track = { pid: process.pid, tid: threadId };

/**
 * The events of one run. With `live`, each event is also written as one line
 * of JSON to that stream the moment it happens (the lab page reads it), so a
 * viewer sees the run as it goes; the whole trace is written at the end.
 */
export class Trace {
  readonly events: TraceEvent[] = [];
  /** Whether a strategy's timed run is under way: the observers adopt what works in one. */
  inRun = false;
  #live: NodeJS.WritableStream | null;
  #ids = 0;

  constructor(live: NodeJS.WritableStream | null = null) {
    this.#live = live;
  }

  /** Record one event as it is. */
  add(event: TraceEvent): void {
    this.events.push(event);
    // A member that exits after the run's stream has ended (a pool disposed
    // of last) is not written to a stream that can no longer take it.
    const live = this.#live as (NodeJS.WritableStream & { writableEnded?: boolean }) | null;
    if (live && !live.writableEnded) live.write(`${JSON.stringify(event)}\n`);
  }

  /** Name a track: `process_name` with no tid, `thread_name` with one. */
  name(track: { pid: number; tid?: number }, name: string): void {
    const kind = track.tid === undefined ? 'process_name' : 'thread_name';
    this.add({ name: kind, ph: 'M', ...track, args: { name } });
  }

  /** A fresh id for an async slice. */
  nextId(): string {
    this.#ids += 1;
    return `0x${this.#ids.toString(16)}`;
  }

  /** Open an async slice; close it with `end` and the same cat, name and id. */
  begin(track: Track, cat: string, name: string, id: string, args?: Args, ts = nowUs()): void {
    this.#slice('b', track, cat, name, id, args, ts);
  }

  end(track: Track, cat: string, name: string, id: string, args?: Args, ts = nowUs()): void {
    this.#slice('e', track, cat, name, id, args, ts);
  }

  #slice(
    ph: 'b' | 'e',
    track: Track,
    cat: string,
    name: string,
    id: string,
    args: Args | undefined,
    ts: number,
  ) {
    this.add({ name, ph, cat, id, ts, ...track, ...(args ? { args } : {}) });
  }

  /** A counter's values at one moment, e.g. { requests: 12 }. */
  counter(track: Track, name: string, values: Record<string, number>, ts = nowUs()): void {
    this.add({ name, ph: 'C', ts, pid: track.pid, tid: track.tid, args: values });
  }

  /** A moment on one thread. */
  instant(track: Track, name: string, args?: Record<string, unknown>, ts = nowUs()): void {
    this.add({ name, ph: 'i', s: 't', ts, ...track, ...(args ? { args } : {}) });
  }

  /** The whole trace, as Perfetto and chrome://tracing open it. */
  toJSON() {
    return { traceEvents: this.events, displayTimeUnit: 'ms' as const };
  }

  /** Write the whole trace to `file`. */
  write(file: string): void {
    writeFileSync(file, JSON.stringify(this.toJSON()));
  }
}

/**
 * The live stream a parent asked for: `LAB_TRACE_FD` names a file descriptor
 * it opened for this process (the lab page's server passes 3), or null.
 */
export function liveStream(): NodeJS.WritableStream | null {
  const fd = Number(process.env.LAB_TRACE_FD);
  return Number.isInteger(fd) && fd > 2 ? createWriteStream('', { fd }) : null;
}
