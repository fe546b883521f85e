import { runMain } from '@lab/harness/testing';
import { describe, expect, it } from 'vitest';

// A thread left running keeps its process alive. So each case runs in a
// child process that must end on its own, well inside the timeout, after a
// count that only terminate() can end.
const fixture = new URL('./fixtures/stop-workers.ts', import.meta.url);
const outcome = async (fix: string, how: string) => {
  const { code, stdout } = await runMain(fixture, [fix, how], 20_000);
  return { code, stdout };
};

describe.each(['atomics', 'lock', 'message-passing'])('every %s thread is terminated', (fix) => {
  it('when one thread throws while the others wait at the gate', async () => {
    expect(await outcome(fix, 'fail')).toEqual({
      code: 0,
      stdout: 'worker 1 threw: failed on purpose\n',
    });
  });

  it('when the signal aborts in the middle of the count', async () => {
    expect(await outcome(fix, 'abort')).toEqual({ code: 0, stdout: 'aborted\n' });
  });
});
