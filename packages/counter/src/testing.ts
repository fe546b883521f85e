// Helpers for the counters' tests (not used at run time): member files that
// fail or never end, to check that a count ends every one of its threads.
import { runMain } from '@lab/harness/testing';

/** A member whose second thread throws at the gate while the others sleep there. */
export const failsAtGate = new URL('../test/fixtures/fails-at-gate.ts', import.meta.url);

/**
 * Run the Counter exported as `name` from `module` in a child process, with
 * a member that fails (`fail`) or one that counts until the signal aborts,
 * as soon as a thread says it is counting (`abort`). Resolves with the exit
 * code and what it printed: how the count ended. The child can exit only if
 * every thread was ended.
 */
export async function endsEveryThread(module: URL, name: string, how: 'fail' | 'abort') {
  const fixture = new URL('../test/fixtures/stop-workers.ts', import.meta.url);
  const { code, stdout } = await runMain(fixture, [module.href, name, how], 20_000);
  return { code, stdout };
}
