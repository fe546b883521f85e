// What each route should serve, by Little's law: requests in service = rate x
// time in service, so rate = (how many can be in service at once) / L.
//
//   waiting (await a timer)      every connection's request at once: C/L
//   blocking the loop            one at a time: 1/L
//   a pool of W                  W at a time: min(C, W)/L (FastAPI def: 40)
//   CPU work                     at most one per core as well:
//                                min(C, workers, cores)/(work time)
//   async crypto                 libuv's pool is the workers: UV_THREADPOOL_SIZE
//   Python computing on threads  one GIL: one at a time, however many threads
//
// With P processes (node:cluster, uvicorn --workers P) each process has its
// own loop, its own pools and its own GIL: every slot above that belongs to
// a process counts P times (a loop: P; a pool of W: P x W), and the cores
// still bound the computing.
import type { Route } from './routes.ts';

export type Language = 'node' | 'python';

export interface Setting {
  latencyMs: number;
  /** The blocking-wait pool's size (Node); FastAPI's threadpool is 40. */
  workers: number;
  cpuWorkers: number;
  cores: number;
  /** One request's work alone, measured in the server at start. */
  computeMs: number;
  hashMs: number;
  uvThreads: number;
  /** Processes serving the same port (1 unless a cluster). */
  processes?: number;
}

export interface Model {
  reqPerSec: number | null;
  /** What bounds it, in words: the reason printed beside a shortfall. */
  bound: string;
}

/** FastAPI runs a plain `def` on AnyIO's threadpool: 40 threads. */
export const FASTAPI_THREADS = 40;

export function model(route: Route, language: Language, c: number, s: Setting): Model {
  const p = s.processes ?? 1;
  const loops = p === 1 ? 'one event loop' : `${p} event loops`;
  const perSec = (slots: number, ms: number) => (slots * 1000) / ms;
  const cpu = (workers: number, ms: number, what: string): Model => {
    const slots = Math.min(c, workers, s.cores);
    const bound = slots === c ? `${c} connections` : slots === s.cores ? `${s.cores} cores` : what;
    return { reqPerSec: perSec(slots, ms), bound };
  };
  switch (route) {
    case 'ping':
      return { reqPerSec: null, bound: 'no model: as fast as the server answers' };
    case 'wait':
      return { reqPerSec: perSec(c, s.latencyMs), bound: `${c} connections` };
    case 'block':
      return {
        reqPerSec: perSec(Math.min(c, p), s.latencyMs),
        bound: c <= p ? `${c} connections` : loops,
      };
    case 'offload': {
      const w = (language === 'python' ? FASTAPI_THREADS : s.workers) * p;
      const each = p === 1 ? '' : ` (${p} x ${w / p})`;
      const name = language === 'python' ? `the threadpool's ${w}${each}` : `${w} workers${each}`;
      return {
        reqPerSec: perSec(Math.min(c, w), s.latencyMs),
        bound: c <= w ? `${c} connections` : name,
      };
    }
    case 'compute':
      return cpu(p, s.computeMs, loops);
    case 'compute-offload':
      if (language === 'python') {
        if (p === 1)
          return {
            reqPerSec: perSec(1, s.computeMs),
            bound: 'the GIL: one thread computes at a time',
          };
        return cpu(p, s.computeMs, `${p} GILs: one thread computes at a time in each`);
      }
      return cpu(s.cpuWorkers * p, s.computeMs, `${s.cpuWorkers * p} workers`);
    case 'hash':
      return cpu(
        s.uvThreads * p,
        s.hashMs,
        `libuv's ${s.uvThreads * p} thread${s.uvThreads * p === 1 ? '' : 's'}`,
      );
    case 'hash-sync':
      return cpu(p, s.hashMs, loops);
  }
}
