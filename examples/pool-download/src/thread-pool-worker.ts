// One member of the thread pool (thread-pool.ts), run with `new Worker`.
// Like the notes' thread_local session, it has a connection of its own that
// it reuses for every site it is given, one site at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { downloadSite } from '@lab/download/download-site';
import { Agent } from 'undici';

const port = parentPort!;
const { timeoutMs } = workerData as { timeoutMs: number };
// This thread's own Session: one kept-alive connection per host.
const session = new Agent({ connections: 1 });

port.on('message', async (url: string) => {
  if (url !== 'stop') return port.postMessage(await downloadSite(url, session, timeoutMs));
  // No site left: close the session and the port, and the thread ends on its own.
  await session.close();
  port.close();
});
port.postMessage('ready');
