// The yardstick for the sites server's own cost: the least a node:http server
// can do for /site/<n> (the same body, the same headers, answered at once,
// nothing counted), on a worker thread as startSitesThread() runs the real one.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { bodyOf } from './workload.ts';

const port = parentPort;
if (!port) throw new Error('minimal-thread.ts runs only as a worker thread');

const body = bodyOf((workerData as { bytes: number }).bytes);
const headers = ['content-type', 'text/plain', 'content-length', String(body.length)];
const server = createServer((_req, res) => {
  res.writeHead(200, headers).end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  port.postMessage({ origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});
port.on('message', () => {
  server.closeAllConnections();
  server.close(() => port.close());
});
