// Cancellation reaches only code that listens.
//
// asyncio's task.cancel() raises CancelledError inside the coroutine at its
// next await, whatever it awaits: every await is a place it can be stopped.
// Node has no task to cancel. abort() only fires an event on a signal; it
// stops code that was handed the signal and listens (an await that takes it,
// or a check at each step). A loop that awaits without it runs to its end;
// a loop that never awaits does not even let abort() run until it is done,
// in either language. Cleanup runs in every case: `await using` here, as
// `finally` (or `async with`) in Python.
//
//   pnpm --filter timeouts-and-cancellation exec node src/cancellation.ts
import { sleep } from '@lab/harness';
import { ms } from './downloads.ts';

export interface Progress {
  steps: number;
  /** When the loop's cleanup ran (performance.now()), or null. */
  cleanedUpAt: number | null;
}

/** Something to clean up: `await using` disposes of it however the block is left. */
function resource(progress: Progress): AsyncDisposable {
  return {
    [Symbol.asyncDispose]: async () => {
      progress.cleanedUpAt = performance.now();
    },
  };
}

/** Awaits at each step and hands the signal to the await: stops at the next await. */
export async function listeningLoop(
  steps: number,
  stepMs: number,
  signal: AbortSignal,
  progress: Progress,
) {
  await using _ = resource(progress);
  for (let i = 0; i < steps; i++) {
    await sleep(stepMs, signal); // rejects the moment the signal aborts
    progress.steps += 1;
  }
}

/** Awaits at each step too, but was never handed the signal: runs to its end. */
export async function deafLoop(
  steps: number,
  stepMs: number,
  _signal: AbortSignal,
  progress: Progress,
) {
  await using _ = resource(progress);
  for (let i = 0; i < steps; i++) {
    await sleep(stepMs);
    progress.steps += 1;
  }
}

/** Computes each step without awaiting: checks the signal, but abort() cannot run until it ends. */
export async function computingLoop(
  steps: number,
  stepMs: number,
  signal: AbortSignal,
  progress: Progress,
) {
  await using _ = resource(progress);
  for (let i = 0; i < steps; i++) {
    signal.throwIfAborted(); // never true here: the timer that aborts waits for this thread
    const until = performance.now() + stepMs;
    while (performance.now() < until) {} // the CPU, busy
    progress.steps += 1;
  }
}

export const loops = { listening: listeningLoop, deaf: deafLoop, computing: computingLoop };

export interface CancelOutcome {
  steps: number;
  of: number;
  /** When abort() actually ran, from the start; it was asked for at cancelAfterMs. */
  abortedMs: number;
  cancelAfterMs: number;
  /** Steps done after abort() ran. */
  stepsAfterAbort: number;
  /** From abort() to the loop giving back control (negative: it had finished before abort() could run). */
  stoppedMsAfterAbort: number;
  /** How the loop ended: stopped by the abort, or ran to its end. */
  ended: 'stopped' | 'ran to its end';
  cleanedUp: boolean;
}

/** Start a loop, call abort() after cancelAfterMs, and see what the abort reached. */
export async function cancelAfter(
  loop: (typeof loops)[keyof typeof loops],
  options: { steps: number; stepMs: number; cancelAfterMs: number },
): Promise<CancelOutcome> {
  const { steps, stepMs, cancelAfterMs } = options;
  const controller = new AbortController();
  const progress: Progress = { steps: 0, cleanedUpAt: null };
  const origin = performance.now();
  let abortedAt = 0;
  let stepsAtAbort = 0;
  const aborted = new Promise<void>((resolve) => {
    setTimeout(() => {
      abortedAt = performance.now();
      stepsAtAbort = progress.steps;
      controller.abort(new Error('cancelled'));
      resolve();
    }, cancelAfterMs);
  });
  const ended = await loop(steps, stepMs, controller.signal, progress).then(
    () => 'ran to its end' as const,
    (error: unknown) =>
      error === controller.signal.reason ? ('stopped' as const) : Promise.reject(error),
  );
  const endedAt = performance.now();
  await aborted; // a loop that held the thread let abort() run only now
  return {
    steps: progress.steps,
    of: steps,
    abortedMs: abortedAt - origin,
    cancelAfterMs,
    stepsAfterAbort: progress.steps - stepsAtAbort,
    stoppedMsAfterAbort: endedAt - abortedAt,
    ended,
    cleanedUp: progress.cleanedUpAt !== null,
  };
}

/** One loop's outcome, in the words the harness prints too. */
export function cancelLine(name: string, o: CancelOutcome): string {
  const stop =
    o.stoppedMsAfterAbort < 0
      ? `it had ended ${ms(-o.stoppedMsAfterAbort)} before`
      : `stopped ${ms(o.stoppedMsAfterAbort)} after it`;
  return `${name} loop: abort() ran at ${ms(o.abortedMs)}; ${stop}; ${o.steps} of ${o.of} steps (${o.stepsAfterAbort} after abort()); ${o.ended}; await using cleaned up: ${o.cleanedUp ? 'yes' : 'no'}`;
}

// As the asyncio original's cancel section: loops of 30 steps of 10 ms, abort() after 100 ms.
if (import.meta.main) {
  const start = performance.now();
  for (const [name, loop] of Object.entries(loops)) {
    const outcome = await cancelAfter(loop, { steps: 30, stepMs: 10, cancelAfterMs: 100 });
    console.log(cancelLine(name, outcome));
  }
  console.log(`took ${((performance.now() - start) / 1000).toFixed(2)} s`);
}
