// The notes' say_after(): wait `delay` seconds, then print `what`.
//
// `scale` shrinks the notes' seconds (tests run at 0.05); `signal` lets a
// task group cancel it mid-wait, which is what asyncio does to a Task by
// raising CancelledError at its await.
import { sleep } from '@lab/harness';

export interface SayOptions {
  scale: number;
  signal?: AbortSignal;
  /** Where the words go; the CLI prints them, tests collect them. */
  say: (what: string) => void;
}

export async function sayAfter(delay: number, what: string, options: SayOptions): Promise<string> {
  await sleep(delay * 1000 * options.scale, options.signal);
  options.say(what);
  return what;
}

/** The notes' time.strftime('%X'): the time of day. */
export const clock = () => new Date().toTimeString().slice(0, 8);
