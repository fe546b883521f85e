// What a run does, observed from outside the lesson and written into a
// trace (trace.ts). Each observer listens to something Node or undici
// publishes anyway, and a lesson cannot tell whether anyone is listening:
//   requests       undici's diagnostics channels: each request an async
//                  slice with its phases (queued, connecting, waiting for the
//                  first byte, body), and a counter of requests in flight;
//   threads        the `worker_threads` channel: a track per worker, its
//                  start (`online`) and exit, and each message it is sent
//                  until its next reply as a task on its own track;
//   processes      the `child_process` channel: the same for each child;
//   heartbeat      a 10 ms timer on the main thread: its lateness is the
//                  event loop's delay; a blocked loop shows as a gap;
//   aborts         AbortSignal.timeout firing (a deadline) and
//                  AbortController's abort, as instants; a request that
//                  fails with their reason is a cancelled request;
//   shared memory  the SharedArrayBuffer cells a thread is given in its
//                  workerData, read every 10 ms while threads run: a race's
//                  counter climbing as the threads write it;
//   tasks          the `lab:task` channel: a task done elsewhere (a queue's
//                  job in a worker process), its times read from a record;
//   counters       the `lab:counter` channel: a figure the measuring side of
//                  an example (never a lesson) keeps anyway, published as it
//                  is measured, e.g. a load generator's requests each second.
// Channels are per thread: a request made inside a worker or a child process
// is not seen here; its task on that member's track is.
import type { ChildProcess } from 'node:child_process';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import type { Worker } from 'node:worker_threads';
import { eventTime, mainTrack, nowUs, type Trace, type Track } from './trace.ts';

type Listener = (message: unknown) => void;

/** Subscribe `listeners` to their channels; the function returned unsubscribes them all. */
function listen(listeners: Record<string, Listener>): () => void {
  for (const [name, listener] of Object.entries(listeners)) subscribe(name, listener);
  return () => {
    for (const [name, listener] of Object.entries(listeners)) unsubscribe(name, listener);
  };
}

interface RequestState {
  id: string;
  name: string;
  createdAt: number;
  sentAt?: number;
  headersAt?: number;
}

/**
 * The reasons of the aborts seen on this thread (observeAborts): a request
 * that fails with one of these was cancelled, not broken.
 */
const abortReasons = new WeakSet<object>();

/** Why a request failed: cancelled (its signal aborted, by a deadline or a caller), or an error. */
function failureOf(error: unknown): { kind: 'cancelled' | 'error'; by?: string } {
  const name = (error as Error | undefined)?.name;
  if (name === 'TimeoutError') return { kind: 'cancelled', by: 'deadline' };
  if (name === 'AbortError') return { kind: 'cancelled', by: 'abort' };
  if (error && typeof error === 'object' && abortReasons.has(error))
    return { kind: 'cancelled', by: 'abort' };
  return { kind: 'error' };
}

/** undici's requests on this thread, as async slices with their phases. */
export function observeRequests(trace: Trace): () => void {
  const requests = new WeakMap<object, RequestState>();
  // When each socket began and finished connecting, to tell a request that
  // waited for its own new connection from one that waited in the queue.
  const connecting = new WeakMap<object, number>();
  const connected = new WeakMap<object, { from: number; to: number }>();
  let inFlight = 0;
  const track = mainTrack;
  const flight = () => trace.counter(track, 'requests in flight', { requests: inFlight });

  const finish = (request: object, args: Record<string, unknown>, now: number) => {
    const state = requests.get(request);
    if (!state) return;
    requests.delete(request);
    const phase = state.headersAt !== undefined ? 'body' : state.sentAt ? 'waiting' : 'queued';
    trace.end(track, 'request', phase, state.id, undefined, now);
    trace.end(track, 'request', state.name, state.id, args, now);
    inFlight -= 1;
    flight();
  };

  return listen({
    'undici:request:create': (message) => {
      const { request } = message as { request: { method: string; origin: string; path: string } };
      const state: RequestState = {
        id: trace.nextId(),
        name: `${request.method} ${request.origin}${request.path}`,
        createdAt: eventTime(message),
      };
      requests.set(request, state);
      trace.begin(track, 'request', state.name, state.id, undefined, state.createdAt);
      trace.begin(track, 'request', 'queued', state.id, undefined, state.createdAt);
      inFlight += 1;
      flight();
    },
    'undici:client:beforeConnect': (message) => {
      connecting.set((message as { connectParams: object }).connectParams, nowUs());
    },
    'undici:client:connected': (message) => {
      const { connectParams, socket } = message as { connectParams: object; socket: object };
      const from = connecting.get(connectParams);
      if (from !== undefined) connected.set(socket, { from, to: nowUs() });
    },
    'undici:client:sendHeaders': (message) => {
      const { request, socket } = message as { request: object; socket: object };
      const state = requests.get(request);
      if (!state) return;
      const now = eventTime(message);
      const connection = connected.get(socket);
      if (connection && connection.from >= state.createdAt) {
        // This request waited for a connection opened for it: that part is connecting.
        trace.end(track, 'request', 'queued', state.id, undefined, connection.from);
        trace.begin(track, 'request', 'connecting', state.id, undefined, connection.from);
        trace.end(track, 'request', 'connecting', state.id, undefined, now);
      } else {
        trace.end(track, 'request', 'queued', state.id, undefined, now);
      }
      trace.begin(track, 'request', 'waiting', state.id, undefined, now);
      state.sentAt = now;
    },
    'undici:request:headers': (message) => {
      const { request, response } = message as {
        request: object;
        response: { statusCode: number };
      };
      const state = requests.get(request);
      if (!state) return;
      const now = eventTime(message);
      trace.end(track, 'request', 'waiting', state.id, undefined, now);
      trace.begin(track, 'request', 'body', state.id, { status: response.statusCode }, now);
      state.headersAt = now;
    },
    'undici:request:trailers': (message) => {
      finish((message as { request: object }).request, { ok: true }, eventTime(message));
    },
    'undici:request:error': (message) => {
      const { request, error } = message as { request: object; error: Error };
      // A request cancelled (by a deadline, or a caller's abort) is a moment
      // worth seeing on its own, apart from one that broke.
      const failure = failureOf(error);
      const state = requests.get(request);
      const now = eventTime(message);
      trace.instant(
        track,
        failure.kind,
        {
          ...(failure.by && { by: failure.by }),
          ...(state && { request: state.name }),
          message: error?.message,
        },
        now,
      );
      finish(
        request,
        {
          ok: false,
          ...(failure.by && { cancelled: failure.by }),
          error: error?.message ?? String(error),
        },
        now,
      );
    },
  });
}

/**
 * Each message a member is sent, until its next reply, as a task slice on the
 * member's own track. `post` is the member's method that sends (postMessage
 * for a thread, send for a process): it is wrapped on that one object only.
 */
function observeTasks(
  trace: Trace,
  member: { on(event: 'message', listener: Listener): unknown },
  post: 'postMessage' | 'send',
  track: () => Track | null,
): void {
  const pending: { id: string; at: number }[] = [];
  const target = member as unknown as Record<string, (...args: unknown[]) => unknown>;
  const original = target[post];
  if (typeof original !== 'function') return;
  target[post] = function (this: unknown, ...args: unknown[]) {
    const where = track();
    if (where) {
      const task = { id: trace.nextId(), at: nowUs() };
      pending.push(task);
      trace.begin(where, 'task', 'task', task.id, undefined, task.at);
    }
    return original.apply(this, args);
  };
  member.on('message', () => {
    const where = track();
    const task = pending.shift();
    if (where && task) trace.end(where, 'task', 'task', task.id);
    else if (where) trace.instant(where, 'message');
  });
}

/** Worker threads started on this thread: a track each, their start, exit and tasks. */
export function observeThreads(trace: Trace): () => void {
  return listen({
    worker_threads: (message) => {
      const { worker } = message as { worker: Worker };
      const track = threadTrack(trace, worker);
      worker.once('online', () => trace.instant(track, 'online'));
      observeTasks(trace, worker, 'postMessage', () => track);
    },
  });
}

/** A worker's track, named, with its life as a slice on it: from now to its exit. */
function threadTrack(trace: Trace, worker: Worker): Track {
  const track = { pid: process.pid, tid: worker.threadId };
  trace.name(track, `worker thread ${worker.threadId}`);
  const id = trace.nextId();
  trace.begin(track, 'thread', 'thread', id);
  worker.once('exit', (code) => trace.end(track, 'thread', 'thread', id, { code }));
  return track;
}

/** A thread or a process made before the trace began: a warm pool's member, a server. */
export type Member = { worker: Worker } | { child: ChildProcess };

/**
 * Notes the worker threads and child processes made from now until stop(),
 * without tracing them: observeAll traces each from the first task a run
 * gives it, so a warm pool's members show with their tasks, and a thread
 * that is only asked for its counts between runs (the sites server's) not.
 */
export function noteMembers(): { stop(): Member[] } {
  const made: Member[] = [];
  const stop = listen({
    worker_threads: (message) => made.push({ worker: (message as { worker: Worker }).worker }),
    child_process: (message) =>
      made.push({ child: (message as { process: ChildProcess }).process }),
  });
  return {
    stop() {
      stop();
      return made;
    },
  };
}

/**
 * Trace a member made before the trace from the first task it is given
 * during a run. The function returned ends its life on the trace if it is
 * still alive when the trace ends (a warm pool is closed after the runs).
 */
function adopt(trace: Trace, member: Member): () => void {
  let track: Track | null = null;
  let ended = false;
  const id = trace.nextId();
  const cat = 'worker' in member ? 'thread' : 'process';
  const end = (args: Record<string, unknown>) => {
    if (track && !ended) trace.end(track, cat, cat, id, args);
    ended = true;
  };
  const since = { madeBeforeTheRuns: true };
  if ('worker' in member) {
    const { worker } = member;
    if (worker.threadId < 0) return () => {}; // it has exited already
    worker.once('exit', (code) => end({ code }));
    observeTasks(trace, worker, 'postMessage', () => {
      if (!track && !ended && trace.inRun) {
        track = { pid: process.pid, tid: worker.threadId };
        trace.name(track, `worker thread ${worker.threadId}`);
        trace.begin(track, cat, cat, id, since);
      }
      return track;
    });
  } else {
    const { child } = member;
    const pid = child.pid;
    if (pid === undefined || child.exitCode !== null || typeof child.send !== 'function')
      return () => {};
    child.once('exit', (code, signal) => end({ code, signal }));
    observeTasks(trace, child, 'send', () => {
      if (!track && !ended && trace.inRun) {
        track = { pid, tid: 0 };
        trace.name({ pid }, `child process ${pid}`);
        trace.name(track, 'main');
        trace.begin(track, cat, cat, id, since);
      }
      return track;
    });
  }
  return () => end({ aliveAtTheEnd: true });
}

/** Child processes started by this process: a track each (its pid), start, exit and tasks. */
export function observeProcesses(trace: Trace): () => void {
  return listen({
    child_process: (message) => {
      const { process: child } = message as { process: ChildProcess };
      // The channel speaks as the child is made, before it is spawned: its
      // pid, and for a fork its send(), come a moment later, in the same
      // turn (a lesson may send its first task at once, before 'spawn').
      let track: Track | null = null;
      const id = trace.nextId();
      const ensure = () => {
        if (track || child.pid === undefined) return track;
        track = { pid: child.pid, tid: 0 };
        trace.name({ pid: child.pid }, `child process ${child.pid}`);
        trace.name(track, 'main');
        trace.begin(track, 'process', 'process', id);
        return track;
      };
      child.once('spawn', ensure);
      child.once('exit', (code, signal) => {
        if (track) trace.end(track, 'process', 'process', id, { code, signal });
      });
      if (typeof child.send === 'function') observeTasks(trace, child, 'send', ensure);
      else {
        // fork sets send on the child once its channel is open: wrap it then.
        Object.defineProperty(child, 'send', {
          configurable: true,
          enumerable: true,
          get: () => undefined,
          set(send: unknown) {
            Object.defineProperty(child, 'send', {
              configurable: true,
              enumerable: true,
              writable: true,
              value: send,
            });
            if (typeof send === 'function') observeTasks(trace, child, 'send', ensure);
          },
        });
      }
    },
  });
}

/**
 * Deadlines and aborts on this thread, as instants: `deadline` when a signal
 * from AbortSignal.timeout fires, `abort` when an AbortController is aborted.
 * Node publishes neither, so while observing, AbortSignal.timeout is one that
 * also listens to the signal it returns, and AbortController's abort one that
 * notes the moment first; each otherwise the same, and restored after.
 */
export function observeAborts(trace: Trace): () => void {
  const timeout = AbortSignal.timeout;
  const abort = AbortController.prototype.abort;
  const noteReason = (reason: unknown) => {
    if (reason && typeof reason === 'object') abortReasons.add(reason);
  };
  AbortSignal.timeout = function observedTimeout(this: typeof AbortSignal, ms: number) {
    const signal = timeout.call(this, ms);
    signal.addEventListener(
      'abort',
      () => {
        noteReason(signal.reason);
        trace.instant(mainTrack, 'deadline', { afterMs: ms });
      },
      { once: true },
    );
    return signal;
  };
  AbortController.prototype.abort = function observedAbort(
    this: AbortController,
    reason?: unknown,
  ) {
    if (!this.signal.aborted) {
      const message =
        reason instanceof Error
          ? reason.message
          : reason === undefined
            ? undefined
            : String(reason);
      trace.instant(mainTrack, 'abort', message === undefined ? undefined : { reason: message });
    }
    // Noted before the abort: the requests it cancels fail with it at once,
    // inside abort(). With no reason, theirs is an AbortError, known by name.
    noteReason(reason);
    abort.call(this, reason);
  };
  return () => {
    AbortSignal.timeout = timeout;
    AbortController.prototype.abort = abort;
  };
}

/** How often the heartbeat ticks: a blocked loop shows as a gap of more than this. */
export const HEARTBEAT_MS = 10;

/** A tick every 10 ms on the main thread; its lateness is the loop's delay, as a counter. */
export function observeHeartbeat(trace: Trace): () => void {
  let last = performance.now();
  const beat = () => {
    const now = performance.now();
    const delay = Math.max(0, now - last - HEARTBEAT_MS);
    last = now;
    trace.counter(mainTrack, 'event loop delay', { ms: Math.round(delay * 10) / 10 });
  };
  // A first beat now, and a last one at the end: a run that blocks the loop
  // from its first moment to its last still shows as the gap between them.
  trace.counter(mainTrack, 'event loop delay', { ms: 0 });
  const timer = setInterval(beat, HEARTBEAT_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    beat();
  };
}

/** The cells of shared memory a workerData holds: an Int32Array on a SharedArrayBuffer, itself or a field. */
function sharedCells(data: unknown): Int32Array | null {
  const shared = (value: unknown) =>
    value instanceof Int32Array && value.buffer instanceof SharedArrayBuffer ? value : null;
  if (shared(data)) return shared(data);
  if (data && typeof data === 'object') {
    for (const value of Object.values(data)) if (shared(value)) return shared(value);
  }
  return null;
}

/** Most cells read at each sample: a counter and its flags, not a whole buffer. */
const MAX_CELLS = 8;

/**
 * Shared memory handed to threads, sampled every 10 ms as a counter. Node
 * publishes a new Worker but not its workerData, so the Worker class that
 * `import { Worker } from 'node:worker_threads'` names is, while observing,
 * one that notes its workerData and is otherwise the same (a subclass:
 * instanceof, events and messages unchanged).
 */
export function observeSharedMemory(trace: Trace): () => void {
  const threads = createRequire(import.meta.url)('node:worker_threads') as {
    Worker: new (...args: unknown[]) => Worker;
  };
  const Original = threads.Worker;
  let cells: Int32Array | null = null;
  let live = 0;
  const sample = () => {
    if (!cells) return;
    const values: Record<string, number> = {};
    for (let i = 0; i < Math.min(cells.length, MAX_CELLS); i++)
      values[`cell${i}`] = Atomics.load(cells, i);
    trace.counter(mainTrack, 'shared memory', values);
  };
  const timer = setInterval(() => {
    if (live > 0) sample();
  }, HEARTBEAT_MS);
  timer.unref();
  class ObservedWorker extends Original {
    constructor(...args: unknown[]) {
      super(...args);
      const found = sharedCells((args[1] as { workerData?: unknown } | undefined)?.workerData);
      if (!found) return;
      if (found !== cells) {
        cells = found;
        sample();
      }
      live += 1;
      this.once('exit', () => {
        live -= 1;
        // The last word: what the threads left when the last one was done.
        if (live === 0) sample();
      });
    }
  }
  threads.Worker = ObservedWorker;
  syncBuiltinESMExports();
  return () => {
    clearInterval(timer);
    threads.Worker = Original;
    syncBuiltinESMExports();
  };
}

/**
 * The one channel on which an example's measuring code (a load generator's
 * reader, a probe; never a lesson) hands the trace a counter of its own:
 * `diagnostics_channel.channel('lab:counter').publish({ name, values, ts? })`,
 * `values` a set of named numbers, `ts` when they were measured (microseconds
 * since the epoch, as trace.ts keeps time; now by default). Nobody listening,
 * it costs nothing: publish returns at once.
 */
export const COUNTER_CHANNEL = 'lab:counter';

/** A counter published on `lab:counter`, as it came. */
export interface PublishedCounter {
  name: string;
  values: Record<string, number>;
  ts?: number;
}

/** The counters measuring code publishes on `lab:counter`, as `C` events on the main thread. */
export function observeCounters(trace: Trace): () => void {
  return listen({
    [COUNTER_CHANNEL]: (message) => {
      const { name, values, ts } = message as PublishedCounter;
      if (typeof name !== 'string' || !values || typeof values !== 'object') return;
      const numbers = Object.entries(values).filter(([, v]) => Number.isFinite(v));
      if (numbers.length === 0) return;
      trace.counter(
        mainTrack,
        name,
        Object.fromEntries(numbers),
        Number.isFinite(ts) ? Math.round(ts as number) : nowUs(),
      );
    },
  });
}

/**
 * The channel on which measuring code hands the trace a task it could not
 * see start and end: one done in another process and known from a record
 * elsewhere (a job's times in Redis). `{ pid, name, from, to }`, the times in
 * microseconds since the epoch: a task slice on that process's main track.
 */
export const TASK_CHANNEL = 'lab:task';

/** A task published on `lab:task`, as it came. */
export interface PublishedTask {
  pid: number;
  name: string;
  from: number;
  to: number;
}

/** The tasks measuring code publishes on `lab:task`, as slices on their processes' tracks. */
export function observePublishedTasks(trace: Trace): () => void {
  return listen({
    [TASK_CHANNEL]: (message) => {
      const { pid, name, from, to } = message as PublishedTask;
      if (!Number.isInteger(pid) || typeof name !== 'string') return;
      if (!Number.isFinite(from) || !Number.isFinite(to) || to < from) return;
      const track = { pid, tid: 0 };
      const id = trace.nextId();
      trace.begin(track, 'task', name, id, undefined, Math.round(from));
      trace.end(track, 'task', name, id, undefined, Math.round(to));
    },
  });
}

/** Every observer at once, with the process and its main thread named; stop() ends them all. */
export function observeAll(trace: Trace, processName: string, made: Member[] = []): () => void {
  trace.name({ pid: process.pid }, processName);
  trace.name(mainTrack, 'main thread');
  const stops = [
    ...made.map((member) => adopt(trace, member)),
    observeRequests(trace),
    observeAborts(trace),
    observeThreads(trace),
    observeProcesses(trace),
    observeHeartbeat(trace),
    observeSharedMemory(trace),
    observeCounters(trace),
    observePublishedTasks(trace),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
