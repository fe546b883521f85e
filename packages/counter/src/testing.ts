// Helpers for the counters' tests (not used at run time): run a lesson's
// thread count in a child process where it cannot end by itself, to check
// that it ends every one of its threads.
import { runMain } from '@lab/harness/testing';

/**
 * Run the count exported as `name` from `module` in a child process, with 4
 * threads: `fail` preloads a module that throws in the second thread before
 * its code runs, while the others wait at a gate that only it could open;
 * `abort` aborts the signal as soon as every thread has said its first word
 * (the gate is open: they are counting), on a count that would take minutes.
 * Resolves with the exit code and what the child printed: how the count
 * ended, and how many threads outlived it, if any did.
 */
export async function endsEveryThread(module: URL, name: string, how: 'fail' | 'abort') {
  const fixture = new URL('../test/fixtures/stop-workers.ts', import.meta.url);
  const preload = new URL('../test/fixtures/fails-in-second-thread.ts', import.meta.url);
  const flags = how === 'fail' ? ['--import', preload.href] : [];
  const { code, stdout } = await runMain(fixture, [module.href, name, how], 20_000, flags);
  return { code, stdout };
}
