// A task group: the counterpart of asyncio.TaskGroup.
//
// It knows every task it started. Waiting on it waits for all of them. When
// one fails, it cancels the others (through the AbortSignal each task was
// given) and, once they have all stopped, rethrows the first error. With
// `await using`, leaving the block waits, as `async with` does in Python.
//
// Compare Promise.all, which rejects at the first failure but leaves the
// other promises running, unseen; and Promise.allSettled, which waits for
// every one and reports each outcome, cancelling nothing.
//
//   pnpm --filter async-basics exec node src/task-group.ts
import { clock, sayAfter } from './say-after.ts';

export class TaskGroup {
  #controller = new AbortController();
  #parent: AbortSignal | undefined;
  #signal: AbortSignal;
  #tasks: Promise<unknown>[] = [];
  #failure: { error: unknown } | null = null;

  /** `parent`: cancels the whole group, as cancelling the task around an asyncio TaskGroup does. */
  constructor(parent?: AbortSignal) {
    this.#parent = parent;
    this.#signal = parent
      ? AbortSignal.any([this.#controller.signal, parent])
      : this.#controller.signal;
  }

  /** The signal the group's tasks should honour; aborted when one of them fails. */
  get signal(): AbortSignal {
    return this.#signal;
  }

  /** Start a task now (like tg.create_task); it is handed the group's signal. */
  create<T>(task: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const promise = task(this.#signal);
    this.#tasks.push(
      promise.catch((error: unknown) => {
        // A sibling cancelled by the group is not a failure of its own.
        if (this.#signal.aborted && error === this.#signal.reason) return;
        if (!this.#failure) {
          this.#failure = { error };
          this.#controller.abort(new Error('cancelled: a sibling task failed'));
        }
      }),
    );
    return promise;
  }

  /** Wait for every task; rethrow the first failure, if any. */
  async wait(): Promise<void> {
    // Tasks may start tasks: wait until the list stops growing.
    for (let seen = 0; seen < this.#tasks.length; seen = this.#tasks.length) {
      await Promise.all(this.#tasks);
    }
    if (this.#failure) throw this.#failure.error;
    this.#parent?.throwIfAborted();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.wait();
  }
}

// The notes' TaskGroup main(): both tasks in one group, about 2 seconds.
if (import.meta.main) {
  const start = performance.now();
  {
    await using tg = new TaskGroup();
    tg.create(() => sayAfter(1, 'hello'));
    tg.create(() => sayAfter(2, 'world'));
    console.log(`started at ${clock()}`);
  } // the await is implicit when the block exits
  console.log(`finished at ${clock()}`);
  console.log(`took ${((performance.now() - start) / 1000).toFixed(2)} s`);
}
