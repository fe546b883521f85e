// The batch form some examples use: start a pool, wait until every member
// is ready (timing it), then run whole batches with `map`, one batch at a
// time, with each member's share and the mean time per task. Built on Pool.
//
// A failure fails the batch: a task that throws, or a member that dies,
// rejects `map` with a message naming the task (`task 5 failed: its process
// died (exit code 7)`), after every member has been ended. With a `fallback`,
// only that task gets the fallback's result and the rest carry on (a
// download pool: one site fails, not the run); after an abort, every task
// not answered gets it, `cancelled` true.
import { MemberDied, Pool } from './pool.ts';
import type { MemberKind } from './spawn.ts';

export interface StartPoolOptions {
  kind: MemberKind;
  /** The member's code: a file that calls serve() from '@lab/pool/member'. */
  file: URL;
  size: number;
  workerData?: unknown;
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

export interface StartedPool<In, Out> extends AsyncDisposable {
  readonly kind: MemberKind;
  readonly size: number;
  /** From the first member started until the last said it was ready. */
  readonly startupMs: number;
  map(tasks: readonly In[], options?: MapOptions<In, Out>): Promise<MapRun<Out>>;
  close(): Promise<void>;
}

export async function startPool<In, Out>(options: StartPoolOptions): Promise<StartedPool<In, Out>> {
  const { kind, file, size, signal } = options;
  if (signal?.aborted) throw new Error('cancelled');
  const started = performance.now();
  const pool = new Pool<In, Out>(file, options);
  try {
    await pool.ready;
  } catch (error) {
    await pool.terminate();
    throw error;
  }
  const startupMs = performance.now() - started;
  let failure: Error | null = null;

  const map = async (tasks: readonly In[], { fallback, onResult }: MapOptions<In, Out> = {}) => {
    if (failure) throw new Error(`this pool has failed: ${failure.message}`);
    const perMember: number[] = new Array(size).fill(0);
    let roundTrips = 0;
    let answered = 0;
    const one = async (task: In, index: number): Promise<Out> => {
      try {
        const { result, member, ms } = await pool.runMeasured(task);
        perMember[member] = (perMember[member] ?? 0) + 1;
        roundTrips += ms;
        answered += 1;
        onResult?.(result, index);
        return result;
      } catch (error) {
        const cancelled = signal?.aborted === true;
        const message = error instanceof Error ? error.message : String(error);
        const why = cancelled
          ? 'cancelled'
          : error instanceof MemberDied
            ? `${kind} died (${error.why})`
            : message;
        if (!fallback)
          throw new Error(cancelled ? 'cancelled' : `task ${index} failed: ${message}`);
        const result = fallback(task, why, cancelled);
        onResult?.(result, index);
        return result;
      }
    };
    try {
      const results = await Promise.all(tasks.map(one));
      return { results, perMember, taskMs: answered > 0 ? roundTrips / answered : 0 };
    } catch (error) {
      failure ??= error as Error;
      await pool.terminate(); // the rest of the batch is not wanted: end every member first
      throw error;
    }
  };
  return {
    kind,
    size,
    startupMs,
    map,
    close: () => pool.close(),
    [Symbol.asyncDispose]: () => pool.close(),
  };
}

/**
 * The floor under any pool's start-up: how long `size` members of this kind
 * take to say ready when they load nothing but Node.js itself.
 */
export async function measureBareStartup(kind: MemberKind, size: number): Promise<number> {
  const started = performance.now();
  const pool = new Pool<never, never>(new URL('./bare-member.mjs', import.meta.url), {
    kind,
    size,
  });
  try {
    await pool.ready;
    return performance.now() - started;
  } finally {
    await pool.terminate();
  }
}
