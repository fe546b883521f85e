// Runs inside the worker thread that startSitesThread() starts: the server,
// plus a tiny request/reply protocol for its counters.
import { parentPort, workerData } from 'node:worker_threads';
import { startSitesServer } from './server.ts';

const port = parentPort;
if (!port) throw new Error('thread-worker.ts runs only as a worker thread');

const server = await startSitesServer(workerData);
port.postMessage({ origin: server.origin, port: server.port });

port.on('message', async ({ id, op }: { id: number; op: string }) => {
  const value =
    op === 'stats'
      ? await server.stats()
      : op === 'hits'
        ? await server.hits()
        : op === 'reset'
          ? await server.resetStats()
          : op === 'requests'
            ? await server.requests()
            : await server.close();
  port.postMessage({ id, value });
});
