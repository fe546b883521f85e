// The thread's side of countOnThreads: a pool member that, given the name of
// a loop, waits at the gate for the other threads, then runs that loop.
//
//   serveLoops({ racy: incrementShared });
import { serve } from '@lab/pool/member';
import { type CounterData, waitForAll } from './cells.ts';
import type { Loop } from './count.ts';

export function serveLoops(loops: Record<string, Loop>): void {
  serve<string, unknown>((name, { workerData }) => {
    const { cells, workers, increments } = workerData as CounterData;
    const loop = loops[name];
    if (!loop) throw new Error(`no loop named '${name}'`);
    waitForAll(cells, workers);
    return loop(cells, increments);
  });
}
