// One member of the process pool (process-pool.ts), run with `fork`. Like
// the notes' thread_local session, it has a connection of its own that it
// reuses for every site it is given, one site at a time.
import { downloadSite } from '@lab/download/download-site';
import { Agent } from 'undici';

const send = process.send!.bind(process);
const timeoutMs = Number(process.argv[2]);
// This process's own Session: one kept-alive connection per host.
const session = new Agent({ connections: 1 });

process.on('message', async (url: string) => {
  if (url !== 'stop') return send(await downloadSite(url, session, timeoutMs));
  // No site left: close the session and the channel, and the process ends on its own.
  await session.close();
  process.disconnect();
});
send('ready');
