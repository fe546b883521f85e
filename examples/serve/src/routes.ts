// One route per way of handling a request, each doing the same work: FastAPI's
// "Concurrency and async / await", as a Node server.
//
//   /wait             awaits a timer for L ms. The loop is free meanwhile, so
//                     every connection's request waits at once: C/L req/s.
//                     (FastAPI: `async def` with `await asyncio.sleep(0.1)`.)
//   /block            holds the loop's thread for L ms. Nothing else runs, not
//                     even /ping: 1/L req/s, whatever C is.
//                     (FastAPI: `async def` with `time.sleep(0.1)`.)
//   /offload          the same blocking wait, on a pool of W threads: W/L.
//                     (FastAPI: a plain `def`, run on its threadpool of 40.)
//   /compute          the CPU job on the loop: one request at a time.
//   /compute-offload  the CPU job on a pool, one thread per core: here the
//                     threads use the cores, where Python's share one GIL.
//   /hash             crypto.pbkdf2: Node's own hidden pool, libuv's four
//                     threads (UV_THREADPOOL_SIZE), bounded by them and by
//                     the cores.
//   /hash-sync        pbkdf2Sync: the same work on the loop.
//   /ping             answers at once: the probe that shows who else waits.
//
// Fastify rather than plain node:http: routes declared with their response
// schema read like FastAPI's path operations, and the serializer compiled
// from that schema keeps its own cost per request small; node:http would
// need a hand-written router and JSON handling for the same eight routes.
import { pbkdf2, pbkdf2Sync } from 'node:crypto';
import { setTimeout as wait } from 'node:timers/promises';
import { promisify } from 'node:util';
import Fastify, { type FastifyInstance } from 'fastify';
import { compute, HASH, type Sizes, sleepBlocking } from './work.ts';
import type { Workers } from './workers.ts';

export const ROUTES = [
  'ping',
  'wait',
  'block',
  'offload',
  'compute',
  'compute-offload',
  'hash',
  'hash-sync',
] as const;
export type Route = (typeof ROUTES)[number];

export interface ServerOptions {
  latencyMs: number;
  sizes: Sizes;
  /** The pool for blocking waits (W threads). */
  waitPool: Workers;
  /** The pool for the CPU job (one thread per core). */
  cpuPool: Workers;
}

const hashAsync = promisify(pbkdf2);

// Every answer has the same shape; the schema compiles its serializer.
const answer = {
  response: {
    200: {
      type: 'object',
      properties: { route: { type: 'string' }, ok: { type: 'boolean' } },
    },
  },
};

export function createApp({ latencyMs, sizes, waitPool, cpuPool }: ServerOptions) {
  const app: FastifyInstance = Fastify({ logger: false });
  // Requests whose work has started and not ended, counted so that the
  // measurement can wait until the server has caught up before the next one.
  let busy = 0;
  // When the last request ended (epoch ms): the end of the server's busy time.
  let idleAt = Date.now();
  const route = (name: Route, work: () => unknown) =>
    app.get(`/${name}`, { schema: answer }, async () => {
      busy += 1;
      try {
        await work();
      } finally {
        busy -= 1;
        if (busy === 0) idleAt = Date.now();
      }
      return { route: name, ok: true };
    });
  const { password, salt, bytes, digest } = HASH;

  route('ping', () => {});
  route('wait', () => wait(latencyMs)); // the loop serves others meanwhile
  route('block', () => sleepBlocking(latencyMs)); // the loop serves no one meanwhile
  route('offload', () => waitPool.run({ kind: 'sleep', ms: latencyMs }));
  route('compute', () => compute(sizes.tasks));
  route('compute-offload', () => cpuPool.run({ kind: 'compute', tasks: sizes.tasks }));
  route('hash', () => hashAsync(password, salt, sizes.iterations, bytes, digest));
  route('hash-sync', () => pbkdf2Sync(password, salt, sizes.iterations, bytes, digest));

  return { app, busy: () => busy, idleAt: () => idleAt };
}
