// The load generator, a process of its own: autocannon keeps C connections
// busy for a bounded time (and a bounded number of requests), each sending
// its next request as soon as the last is answered. It prints one JSON line:
// what was sent and answered, when the load started, its latency
// percentiles (HDR histogram), and this process's own CPU, so a reader can
// see when the load generator, and not the server, was the limit.
//
//   node src/load.ts URL CONNECTIONS SECONDS
import autocannon from 'autocannon';

export interface Load {
  /** Requests written, and answered (any status) before the end. */
  sent: number;
  answered: number;
  /** Connection errors and timeouts: requests the server never answered. */
  errors: number;
  non2xx: number;
  /** When the load started (epoch ms), and how long it ran. */
  startMs: number;
  seconds: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  /** This process's CPU over the run, as a share of one core. */
  cpuShare: number;
}

/** The most requests one run may send, whatever the time: a bound on any run. */
export const MAX_REQUESTS = 1_000_000;

if (import.meta.main) {
  const [url = '', connections = '10', seconds = '2'] = process.argv.slice(2);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const instance = autocannon({
    url,
    connections: Number(connections),
    duration: Number(seconds),
    maxOverallRequests: MAX_REQUESTS,
    // autocannon checks its time at each sample, once a second by default,
    // so a run of 0.5 s would run a whole second: sampled every 100 ms, a
    // run ends within 100 ms of its time.
    sampleInt: 100,
    // A request the server has not answered by the end is left, not retried:
    // a retry would add to the line of a server that is already behind.
    timeout: Number(seconds) + 30,
  }) as unknown as Promise<autocannon.Result> & { stop(): void };
  process.once('SIGTERM', () => instance.stop());
  const result = await instance;
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const load: Load = {
    sent: result.requests.sent,
    answered: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    startMs: new Date(result.start).getTime(),
    seconds: result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMaxMs: result.latency.max,
    cpuShare: Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 100) / 100,
  };
  process.stdout.write(`${JSON.stringify(load)}\n`);
}
