// A pool of members (threads or processes) that take tasks from one queue.
//
// Each member takes one task at a time, so a fast member simply takes more,
// like Python's Pool.map or ThreadPoolExecutor.map. The pool keeps the books
// that make "no task is lost or run twice" a rule it checks, not a hope: a
// task leaves the queue once, its answer must come from the member that was
// given it, and each task is answered once.
//
// A fault is named and accounted for, and nothing outlives it:
//   - a task that throws, or a member that dies, fails the run with a message
//     that names the task, and every other member is ended; or, where the
//     caller gives a `fallback`, only that task gets the fallback's result
//     and the rest carry on (a download pool: one site fails, not the run);
//   - an aborted signal (Ctrl-C) ends every member at once;
//   - every promise here settles only after the members it ended have exited.
//
// Start-up is measured apart from the work: `startPool` resolves once every
// member has said it is ready, with `startupMs`, so a pool can be started
// inside the timing (the notes' `with Pool() as pool:`) or before it and
// reused (a server's warm workers).
import { memberEntry } from './entry.ts';
import type { FromMember } from './protocol.ts';
import { type Member, type MemberKind, spawnMember } from './spawn.ts';

export interface PoolOptions {
  kind: MemberKind;
  /** The member's code: a file that calls serve() from '@lab/pool/member'. */
  file: URL;
  size: number;
  /** Handed to every member (threads share a SharedArrayBuffer in it; processes get a JSON copy). */
  workerData?: unknown;
  /** Abort to end every member at once. */
  signal?: AbortSignal;
}

export interface MapOptions<In, Out> {
  /** Called as each answer arrives (progress, a live count). */
  onResult?(result: Out, index: number): void;
  /** Make a result for a task its member died on, or that no member got to, instead of failing the run. */
  fallback?(task: In, why: string, cancelled: boolean): Out;
}

export interface MapRun<Out> {
  /** results[i] is task i's answer. */
  results: Out[];
  /** How many tasks each member ran; they add up to the tasks answered. */
  perMember: number[];
  /** The mean time from handing a task to a member until its answer came back. */
  taskMs: number;
}

export interface Pool<In, Out> extends AsyncDisposable {
  readonly kind: MemberKind;
  readonly size: number;
  /** From the first member started until the last said it was ready. */
  readonly startupMs: number;
  map(tasks: readonly In[], options?: MapOptions<In, Out>): Promise<MapRun<Out>>;
  /** Let every member finish and exit; resolves once all have. */
  close(): Promise<void>;
}

interface Slot<In> {
  id: number;
  member: Member<In>;
  alive: boolean;
  exited: Promise<void>;
  /** The task this member is running: its index and when it was handed out. */
  busy: { index: number; sentAt: number } | null;
}

type Phase = 'starting' | 'ready' | 'mapping' | 'closing';

export function startPool<In, Out>(options: PoolOptions): Promise<Pool<In, Out>> {
  const { kind, size, workerData, signal } = options;
  if (!Number.isInteger(size) || size < 1) {
    return Promise.reject(new RangeError(`a pool needs at least one member, got ${size}`));
  }
  if (signal?.aborted) return Promise.reject(new Error('cancelled'));
  const entry = memberEntry(options.file);

  return new Promise((resolveStart, rejectStart) => {
    const started = performance.now();
    const slots: Slot<In>[] = [];
    let phase: Phase = 'starting';
    let ready = 0;
    let failure: Error | null = null;
    /** Why a member died outside a run, for the next run to report. */
    let lost: string | null = null;
    // The run in progress, if any: its handlers for answers and deaths.
    let run: {
      answer(slot: Slot<In>, message: FromMember<Out>): void;
      died(slot: Slot<In>, why: string): void;
      cancel(): void;
    } | null = null;

    const allExited = () => Promise.all(slots.map((slot) => slot.exited)).then(() => {});
    const endAll = () => {
      for (const slot of slots) if (slot.alive) slot.member.end();
    };
    const fail = (error: Error) => {
      failure ??= error;
      endAll();
    };
    const onAbort = () => {
      if (phase === 'starting') fail(new Error('cancelled'));
      else if (run) run.cancel();
      else endAll();
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    for (let id = 0; id < size; id++) {
      let markExited = () => {};
      const slot: Slot<In> = {
        id,
        alive: true,
        busy: null,
        exited: new Promise((resolve) => (markExited = resolve)),
        member: null as unknown as Member<In>,
      };
      slot.member = spawnMember<In, Out>(kind, entry, workerData, {
        message(message) {
          if (message.type === 'ready') {
            ready += 1;
            if (ready === size && phase === 'starting' && !failure) {
              phase = 'ready';
              pool.startupMs = performance.now() - started;
              resolveStart(pool);
            }
          } else run?.answer(slot, message);
        },
        exit(why) {
          slot.alive = false;
          markExited();
          if (phase === 'starting') {
            fail(new Error(`${kind} ${id} died while starting (${why})`));
            void allExited().then(() => rejectStart(failure));
          } else if (run) run.died(slot, why);
          else if (phase !== 'closing' && !failure)
            lost ??= `${kind} ${id} died while idle (${why})`;
        },
      });
      slots.push(slot);
    }

    const pool: Pool<In, Out> & { startupMs: number } = {
      kind,
      size,
      startupMs: 0,
      map(tasks, mapOptions = {}) {
        if (run) return Promise.reject(new Error('this pool is already running tasks'));
        if (phase === 'closing') return Promise.reject(new Error('this pool is closed'));
        if (signal?.aborted) return Promise.reject(new Error('cancelled'));
        if (failure) return Promise.reject(new Error(`this pool has failed: ${failure.message}`));
        const { fallback, onResult } = mapOptions;
        if (lost && !fallback) return Promise.reject(new Error(lost));
        return new Promise<MapRun<Out>>((resolve, reject) => {
          const results: Out[] = new Array(tasks.length);
          const answered: boolean[] = new Array(tasks.length).fill(false);
          const perMember = slots.map(() => 0);
          let next = 0;
          let done = 0;
          let roundTrips = 0;
          let runFailure: Error | null = null;
          let settled = false;

          const settle = () => {
            if (settled) return;
            settled = true;
            run = null;
            phase = 'ready';
            if (runFailure) {
              failure ??= runFailure;
              void allExited().then(() => reject(runFailure));
            } else resolve({ results, perMember, taskMs: done > 0 ? roundTrips / done : 0 });
          };
          const give = (index: number, result: Out) => {
            results[index] = result;
            answered[index] = true;
            done += 1;
            onResult?.(result, index);
          };
          const stopRun = (error: Error) => {
            runFailure ??= error;
            endAll();
            settle();
          };
          // Hand this member the next task; when the queue is empty it waits.
          const feed = (slot: Slot<In>) => {
            if (settled || !slot.alive || next >= tasks.length) return;
            const index = next;
            next += 1;
            slot.busy = { index, sentAt: performance.now() };
            slot.member.send({ type: 'task', id: index, task: tasks[index] as In });
          };
          // Tasks nobody can run any more: the fallback's, or the run fails.
          const finishWithout = (why: string, cancelled: boolean) => {
            for (let index = 0; index < tasks.length; index++) {
              if (answered[index]) continue;
              if (!fallback) return stopRun(new Error(why));
              give(index, fallback(tasks[index] as In, why, cancelled));
            }
            endAll();
            void allExited().then(settle);
          };

          run = {
            answer(slot, message) {
              if (message.type === 'ready') return;
              const index = message.id;
              if (answered[index]) return stopRun(new Error(`task ${index} was answered twice`));
              if (slot.busy?.index !== index) {
                return stopRun(new Error(`task ${index} was answered by a member not given it`));
              }
              roundTrips += performance.now() - slot.busy.sentAt;
              slot.busy = null;
              if (message.type === 'error') {
                if (!fallback) return stopRun(new Error(`task ${index} failed: ${message.error}`));
                give(index, fallback(tasks[index] as In, message.error, false));
              } else give(index, message.result);
              perMember[slot.id] = (perMember[slot.id] ?? 0) + 1;
              if (done === tasks.length) return settle();
              feed(slot);
            },
            cancel: () => finishWithout('cancelled', true),
            died(slot, why) {
              if (signal?.aborted) return finishWithout('cancelled', true);
              const busy = slot.busy;
              slot.busy = null;
              if (busy && !fallback) {
                return stopRun(new Error(`task ${busy.index} failed: its ${kind} died (${why})`));
              }
              if (busy)
                give(
                  busy.index,
                  fallback?.(tasks[busy.index] as In, `${kind} died (${why})`, false) as Out,
                );
              if (!fallback) return stopRun(new Error(`${kind} ${slot.id} died (${why})`));
              if (done === tasks.length) return settle();
              if (!slots.some((other) => other.alive))
                finishWithout(`no ${kind} left to run it`, false);
            },
          };
          phase = 'mapping';
          if (tasks.length === 0) return settle();
          for (const slot of slots) feed(slot);
          if (!slots.some((slot) => slot.alive)) finishWithout(`no ${kind} left to run it`, false);
        });
      },
      async close() {
        if (phase !== 'closing') {
          phase = 'closing';
          signal?.removeEventListener('abort', onAbort);
          for (const slot of slots) if (slot.alive) slot.member.send({ type: 'stop' });
          // A member still in a task (or one that ignores stop) is ended after a grace period.
          const grace = setTimeout(endAll, 2000);
          await allExited();
          clearTimeout(grace);
        }
        await allExited();
      },
      [Symbol.asyncDispose]() {
        return pool.close();
      },
    };
  });
}

/**
 * The floor under any pool's start-up: how long `size` members of this kind
 * take to say ready when they load nothing but Node.js itself. Measured in
 * the same run as the pool, it tells how much of a pool's start-up is the
 * member's own code.
 */
export async function measureBareStartup(kind: MemberKind, size: number): Promise<number> {
  const entry = new URL('./bare-member.mjs', import.meta.url);
  const started = performance.now();
  const members: Member<never>[] = [];
  const exits: Promise<void>[] = [];
  let readyMs = 0;
  await new Promise<void>((resolve, reject) => {
    let ready = 0;
    for (let id = 0; id < size; id++) {
      let markExited = () => {};
      exits.push(new Promise((done) => (markExited = done)));
      members.push(
        spawnMember<never, never>(kind, entry, null, {
          message() {
            ready += 1;
            if (ready === size) {
              readyMs = performance.now() - started;
              resolve();
            }
          },
          exit(why) {
            markExited();
            if (ready < size) reject(new Error(`bare ${kind} died (${why})`));
          },
        }),
      );
    }
  }).finally(() => {
    for (const member of members) member.end();
  });
  await Promise.all(exits);
  return readyMs;
}
