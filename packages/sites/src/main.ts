// `pnpm sites`: the slow-sites server on its own, for any client (curl, the
// Python originals, a browser) to download from.
import { option, parseOptions, runCli } from '@lab/harness';
import { workloadFrom, workloadOptions } from './options.ts';
import { startSitesServer } from './server.ts';

const usage =
  'Usage: pnpm sites [-- options]\nServes /site/<n>, /warm-up, GET /stats and POST /stats/reset on 127.0.0.1.';
const spec = {
  port: option.int('port to listen on (0: any free port)', { default: 0, max: 65_535 }),
  ...workloadOptions,
};

runCli('sites', async ({ signal }) => {
  const values = parseOptions(process.argv.slice(2), spec, usage);
  const workload = workloadFrom(values);
  const server = await startSitesServer({ ...workload, port: values.port });
  console.log(`sites listening on ${server.origin} (try ${server.siteUrl(0)})`);
  console.log(`latency ${workload.latencyMs} ms, ${workload.bytes} bytes a site; Ctrl-C to stop`);
  await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
  const stats = await server.stats();
  await server.close();
  console.log(`served ${stats.requests} requests, peak ${stats.peakInFlight} in flight`);
  return 0;
});
