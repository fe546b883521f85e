// A pool of members (threads or processes) that take tasks from one queue.
//
// `run(task)` hands one task to a free member, or queues it until one is
// free; each member runs one task at a time, so a fast member simply takes
// more. `map(tasks)` is `run` for each. A member is handed tasks once it has
// said it is ready (`ready` resolves when all have).
//
// A dead member is not replaced: the task it was running rejects with
// MemberDied ("its thread died (exit code 3)"), and the queue goes on to the
// members left. When the last one dies, every queued task and every later
// `run` rejects. `close()` (or `await using`) takes no new task, runs those
// already given, then lets the members exit; `terminate()`, or an aborted `signal`, ends them at once and rejects
// what they had not answered. Every promise here settles only after the
// members it ended have exited.
import { memberEntry } from './entry.ts';
import type { FromMember } from './protocol.ts';
import { type Member, type MemberKind, spawnMember } from './spawn.ts';

export interface PoolOptions {
  /** Threads (the default) or processes. */
  kind?: MemberKind;
  size: number;
  /** Handed to every member (threads share a SharedArrayBuffer in it; processes get a JSON copy). */
  workerData?: unknown;
  /** Abort to end every member at once. */
  signal?: AbortSignal;
}

/** A task's answer, with which member gave it and how long it took from handing it out. */
export interface Answer<Out> {
  result: Out;
  member: number;
  ms: number;
}

/** The member running a task died (or never started). */
export class MemberDied extends Error {
  readonly why: string;
  constructor(kind: MemberKind, why: string) {
    super(`its ${kind} died (${why})`);
    this.why = why;
  }
}

interface Job<In, Out> {
  task: In;
  resolve(answer: Answer<Out>): void;
  reject(error: Error): void;
}

interface Slot<In, Out> {
  id: number;
  member: Member<In>;
  ready: boolean;
  alive: boolean;
  exited: Promise<void>;
  /** The task it is running, the id it was sent under, and when. */
  job: { job: Job<In, Out>; id: number; sentAt: number } | null;
}

export class Pool<In, Out> implements AsyncDisposable {
  readonly kind: MemberKind;
  readonly size: number;
  /** Resolves once every member has said it is ready; rejects, naming it, if one dies first. */
  readonly ready: Promise<void>;
  #slots: Slot<In, Out>[] = [];
  #queue: Job<In, Out>[] = [];
  #sent = 0;
  /** Why the pool takes no more tasks, once it does not. */
  #stopped: string | null = null;
  /** Why the pool takes no new task, once close() has been called. */
  #closing: string | null = null;
  /** Wakes close() when a task is answered or given up on. */
  #idle = () => {};
  #signal: AbortSignal | undefined;
  #onAbort = () => void this.#end('cancelled');

  /** Starts `size` members from `file`, a module that calls serve() from '@lab/pool/member'. */
  constructor(file: URL, options: PoolOptions) {
    const { kind = 'thread', size, workerData, signal } = options;
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`a pool needs at least one member, got ${size}`);
    }
    this.kind = kind;
    this.size = size;
    const entry = memberEntry(file);
    let readyCount = 0;
    let markReady = () => {};
    let failStart = (_error: Error) => {};
    this.ready = new Promise((resolve, reject) => {
      markReady = resolve;
      failStart = reject;
    });
    this.ready.catch(() => {}); // no one need wait for it: tasks wait for their member anyway
    for (let id = 0; id < size; id++) {
      const slot = { id, ready: false, alive: true, job: null } as Slot<In, Out>;
      slot.exited = new Promise((exited) => {
        slot.member = spawnMember<In, Out>(kind, entry, workerData, {
          message: (message) => {
            if (message.type !== 'ready') return this.#answer(slot, message);
            slot.ready = true;
            readyCount += 1;
            if (readyCount === size) markReady();
            this.#dispatch();
          },
          exit: (why) => {
            if (!slot.ready) failStart(new Error(`${kind} ${id} died while starting (${why})`));
            this.#died(slot, why);
            exited();
          },
        });
      });
      this.#slots.push(slot);
    }
    this.#signal = signal;
    if (signal?.aborted) this.#onAbort();
    else signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** Run one task on a free member (queued until one is free). */
  async run(task: In): Promise<Out> {
    return (await this.runMeasured(task)).result;
  }

  /** `run`, saying which member answered and how long the task took from handing it out. */
  runMeasured(task: In): Promise<Answer<Out>> {
    const refused = this.#stopped ?? this.#closing;
    if (refused) return Promise.reject(new Error(refused));
    return new Promise((resolve, reject) => {
      this.#queue.push({ task, resolve, reject });
      this.#dispatch();
    });
  }

  /** Every task's answer, in task order; rejects with the first failure (the rest still run). */
  map(tasks: readonly In[]): Promise<Out[]> {
    return Promise.all(tasks.map((task) => this.run(task)));
  }

  /** Take no more tasks, run those already given, let the members exit; resolves once all have. */
  async close(): Promise<void> {
    this.#closing ??= 'the pool is closed';
    while (this.#queue.length > 0 || this.#slots.some((slot) => slot.job)) {
      await new Promise<void>((idle) => (this.#idle = idle));
    }
    this.#stop('the pool is closed');
    for (const slot of this.#slots) if (slot.alive) slot.member.send({ type: 'stop' });
    // A member still in a task that never ends (or one that ignores stop) is ended after a grace period.
    const grace = setTimeout(() => this.#end('the pool is closed'), 2000);
    await this.#exited();
    clearTimeout(grace);
  }

  /** End every member now, even in the middle of a task; what they had not answered rejects. */
  terminate(why = 'the pool was terminated'): Promise<void> {
    return this.#end(why);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #exited(): Promise<void> {
    return Promise.all(this.#slots.map((slot) => slot.exited)).then(() => {});
  }

  #stop(why: string): void {
    this.#stopped ??= why;
    this.#signal?.removeEventListener('abort', this.#onAbort);
    for (const job of this.#queue.splice(0)) job.reject(new Error(this.#stopped));
    this.#idle();
  }

  #end(why: string): Promise<void> {
    this.#stop(why);
    for (const slot of this.#slots) {
      slot.job?.job.reject(new Error(why));
      slot.job = null;
      if (slot.alive) slot.member.end();
    }
    this.#idle();
    return this.#exited();
  }

  // Hand each free, ready member the next task.
  #dispatch(): void {
    for (const slot of this.#slots) {
      if (this.#queue.length === 0) return;
      if (!slot.alive || !slot.ready || slot.job) continue;
      const job = this.#queue.shift() as Job<In, Out>;
      const id = this.#sent++;
      slot.job = { job, id, sentAt: performance.now() };
      slot.member.send({ type: 'task', id, task: job.task });
    }
  }

  #answer(slot: Slot<In, Out>, message: Exclude<FromMember<Out>, { type: 'ready' }>): void {
    const running = slot.job;
    if (!running || running.id !== message.id) return; // an answer to a task already given up on
    slot.job = null;
    if (message.type === 'error') running.job.reject(new Error(message.error));
    else {
      const ms = performance.now() - running.sentAt;
      running.job.resolve({ result: message.result, member: slot.id, ms });
    }
    this.#dispatch();
    this.#idle();
  }

  #died(slot: Slot<In, Out>, why: string): void {
    slot.alive = false;
    slot.job?.job.reject(new MemberDied(this.kind, why));
    slot.job = null;
    this.#idle();
    if (this.#slots.some((other) => other.alive)) this.#dispatch();
    else this.#stop(`no ${this.kind} left to run it`);
  }
}
