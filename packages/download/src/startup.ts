// The floor under a pool's start-up: `count` members of the same kind that
// load nothing, started together, timed from the first one's creation to
// the last one's "ready". Measured before the clock, in the same run, so
// the summary can say how much of the pool's start-up is Node.js itself and
// how much is what each member loads.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const bare = new URL('./bare-member.mjs', import.meta.url);

export async function measureBareStartup(kind: 'thread' | 'process', count: number) {
  const started = performance.now();
  const members = Array.from({ length: count }, () =>
    kind === 'thread' ? new Worker(bare) : fork(fileURLToPath(bare), [], { execArgv: [] }),
  );
  try {
    await Promise.all(members.map((member) => once(member, 'message')));
    return Math.round((performance.now() - started) * 10) / 10;
  } finally {
    await Promise.all(
      members.map((member) => {
        const exited = once(member, 'exit');
        if (member instanceof Worker) void member.terminate();
        else member.kill();
        return exited;
      }),
    );
  }
}
