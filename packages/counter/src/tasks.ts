// Counting in T async tasks on the one main thread.
//
// The tasks here await only promises that are already settled, so they run
// one after another in microtasks and never give the event loop a turn: no
// timer, no I/O, no signal handler runs until they are all done, and a long
// count could not even be stopped with Ctrl-C. So every TURN_EVERY rounds
// every task awaits the SAME promise, settled by setImmediate: the loop gets
// one turn (and Ctrl-C a chance to abort the signal), then the tasks carry
// on in the same order as before. The count comes out exactly as it would
// without the pause.
import { stopwatch } from '@lab/harness';
import type { Counter } from './count.ts';

export const TURN_EVERY = 1 << 16;

/** A function that, for round i, returns one promise shared by every task in that round. */
export function eventLoopTurns(signal?: AbortSignal): (round: number) => Promise<void> {
  let current = -1;
  let turn = Promise.resolve();
  return (round) => {
    if (round !== current) {
      current = round;
      turn = new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
        signal?.throwIfAborted(),
      );
    }
    return turn;
  };
}

/** What the tasks of one count share: the counter. */
export interface Shared {
  counter: number;
}

/**
 * A count in T async tasks, started at once (Promise.all), each calling
 * `increment` K times on one shared counter. An increment that returns a
 * promise is awaited; one that does not runs with no await at all between
 * two of them.
 */
export function countInTasks(increment: (shared: Shared) => Promise<void> | void): Counter {
  return async (tasks, increments, options = {}) => {
    const shared: Shared = { counter: 0 };
    const clock = stopwatch();
    const turn = eventLoopTurns(options.signal);
    const task = async () => {
      for (let i = 0; i < increments; i++) {
        if (i % TURN_EVERY === 0) await turn(i);
        const pending = increment(shared);
        if (pending instanceof Promise) await pending;
      }
    };
    await Promise.all(Array.from({ length: tasks }, task));
    return { expected: tasks * increments, actual: shared.counter, countMs: clock.elapsedMs() };
  };
}
