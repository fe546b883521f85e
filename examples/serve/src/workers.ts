// A server's pool: W threads that each take one request's work at a time,
// and a queue for the requests that find them all busy. This is what
// FastAPI does for a plain `def` path operation (AnyIO's threadpool, 40
// threads), written out: Node has no such pool for handlers, so a handler
// that would block must hand its work here itself.
//
// @lab/pool's `run` hands a request's work to a free thread, or queues it
// until one is free. At most W pieces of work run at once; the W+1st
// request waits, which is where the pool's knee, W/L, comes from.
import { Pool } from '@lab/pool';
import type { WorkTask } from './work.ts';

export interface Workers extends AsyncDisposable {
  readonly size: number;
  /** Run one request's work on a free thread (waiting for one if all are busy). */
  run(task: WorkTask): Promise<string>;
}

const workerFile = new URL('./work-worker.ts', import.meta.url);

/** Resolves once every thread is ready, so the server says it is up only then. */
export async function startWorkers(size: number): Promise<Workers> {
  const pool = new Pool<WorkTask, string>(workerFile, { kind: 'thread', size });
  try {
    await pool.ready;
  } catch (error) {
    await pool.terminate();
    throw error;
  }
  return pool;
}
