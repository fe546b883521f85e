// After the three timed ways, the rest of the notes' tour, untimed: each
// lesson as it runs alone, under a title, its lines indented; and
// run_in_executor's claim counted from outside, by a heartbeat around each
// key derivation.
import { deriveKeyBlocking, deriveKeyOffloaded, showAwaitables } from './awaitables.ts';
import { whenOneFails } from './failures.ts';
import type { SayOptions } from './say-after.ts';
import { watchTasks } from './task-states.ts';

/** How many times a 5 ms timer fired while `task` ran: how free the loop stayed. */
export async function heartbeatsDuring(task: () => unknown): Promise<number> {
  let beats = 0;
  const timer = setInterval(() => {
    beats += 1;
  }, 5);
  try {
    await task();
    await new Promise((resolve) => setImmediate(resolve)); // a beat that is due gets its turn
    return beats;
  } finally {
    clearInterval(timer);
  }
}

async function awaitables(): Promise<void> {
  await showAwaitables();
  const blocked = await heartbeatsDuring(deriveKeyBlocking);
  const offloaded = await heartbeatsDuring(deriveKeyOffloaded);
  console.log(
    `run_in_executor: heartbeats (every 5 ms) during scryptSync ${blocked}, during scrypt on the thread pool ${offloaded}`,
  );
}

const steps = [
  ['the event loop knows every task and its state:', watchTasks],
  ['a task fails after 0.5 s, beside hello (0.25 s) and world (2 s):', whenOneFails],
  ['awaitables:', awaitables],
] as const;

/** The tour, each step under its title; Ctrl-C ends it quietly (the ways' records stand). */
export async function tour(options: SayOptions, log: (line: string) => void): Promise<void> {
  try {
    for (const [title, show] of steps) {
      log(`\n${title}`);
      console.group();
      try {
        await show(options);
      } finally {
        console.groupEnd();
      }
    }
    log('');
  } catch (error) {
    if (!options.signal?.aborted) throw error;
  }
}
