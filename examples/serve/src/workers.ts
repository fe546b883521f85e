// A server's pool: W threads that each take one request's work at a time,
// and a queue for the requests that find them all busy. This is what
// FastAPI does for a plain `def` path operation (AnyIO's threadpool, 40
// threads), written out: Node has no such pool for handlers, so a handler
// that would block must hand its work here itself.
//
// @lab/pool's `map` runs one batch at a time, and requests come one by one,
// so each thread is a pool of one: a request takes a free one, or waits in
// line for the next to come back. At most W pieces of work run at once; the
// W+1st request waits, which is where the pool's knee, W/L, comes from.
import { type Pool, startPool } from '@lab/pool';
import type { WorkTask } from './work.ts';

export interface Workers extends AsyncDisposable {
  readonly size: number;
  /** Run one request's work on a free thread (waiting for one if all are busy). */
  run(task: WorkTask): Promise<string>;
}

const memberFile = new URL('./member.ts', import.meta.url);

export async function startWorkers(size: number): Promise<Workers> {
  const pools = await Promise.all(
    Array.from({ length: size }, () =>
      startPool<WorkTask, string>({ kind: 'thread', file: memberFile, size: 1 }),
    ),
  );
  const free: Pool<WorkTask, string>[] = [...pools];
  const waiting: ((pool: Pool<WorkTask, string>) => void)[] = [];
  const take = () =>
    free.length > 0
      ? Promise.resolve(free.pop()!)
      : new Promise<Pool<WorkTask, string>>((resolve) => waiting.push(resolve));
  const give = (pool: Pool<WorkTask, string>) => {
    const next = waiting.shift();
    if (next) next(pool);
    else free.push(pool);
  };
  return {
    size,
    async run(task) {
      const pool = await take();
      try {
        const { results } = await pool.map([task]);
        return results[0]!;
      } finally {
        give(pool);
      }
    },
    async [Symbol.asyncDispose]() {
      await Promise.all(pools.map((pool) => pool.close()));
    },
  };
}
