// The sites server on a thread of its own, in the same process.
//
// The examples measure a client. A real site's CPU does not compete with your
// client for its event loop, but a server on the client's own thread would:
// every accept, parse and write it does would be charged to the client's
// time. On a worker thread, the server runs beside the client (on the second
// core, where there is one) and the examples measure what they claim to.
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { RequestRecord, SitesServer, SitesServerOptions, SitesStats } from './server.ts';

type Reply = { id: number; value: unknown };

/** Start the sites server on a worker thread; the handle has the same shape as startSitesServer's. */
export async function startSitesThread(options: SitesServerOptions = {}): Promise<SitesServer> {
  const worker = new Worker(new URL('./thread-worker.ts', import.meta.url), {
    workerData: options,
    // A small young generation: the server makes short-lived garbage only, and
    // V8's default lets it grow to tens of MB that count against the process.
    resourceLimits: { maxYoungGenerationSizeMb: 2 },
  });
  const [ready] = (await Promise.race([
    once(worker, 'message'),
    once(worker, 'error').then(([error]) => Promise.reject(error)),
  ])) as [{ origin: string; port: number }];

  let nextId = 0;
  const pending = new Map<number, (value: unknown) => void>();
  worker.on('message', (reply: Reply) => {
    pending.get(reply.id)?.(reply.value);
    pending.delete(reply.id);
  });
  const ask = <T>(op: string): Promise<T> =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve as (value: unknown) => void);
      worker.postMessage({ id, op });
    });

  return {
    origin: ready.origin,
    port: ready.port,
    siteUrl: (n) => `${ready.origin}/site/${n}`,
    stats: () => ask<SitesStats>('stats'),
    hits: () => ask<number[]>('hits'),
    resetStats: () => ask<void>('reset'),
    requests: () => ask<RequestRecord[]>('requests'),
    close: async () => {
      await ask('close');
      await worker.terminate();
    },
  };
}
