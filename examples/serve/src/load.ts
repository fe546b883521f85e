// The load generator, a process of its own: autocannon keeps C connections
// busy for a bounded time (and a bounded number of requests), each sending
// its next request as soon as the last is answered. Each second of the
// load, it prints a line with the answers of that second
// (`{"tick": ...}`), for whoever watches the run as it goes; at the end, one
// JSON line: what was sent and answered, when the load started, its latency
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

/** One second of the load: answers (any status) in [fromUs, toUs). */
export interface Tick {
  answered: number;
  /** The second's bounds, in microseconds since the epoch (the trace's clock). */
  fromUs: number;
  toUs: number;
}

const nowUs = () => Math.round((performance.timeOrigin + performance.now()) * 1000);

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
  // What was answered each second, counted from autocannon's 'response'
  // event: its own 'tick' counts only the last sample (here 100 ms).
  let answered = 0;
  let fromUs = nowUs();
  const second = () => {
    const tick: Tick = { answered, fromUs, toUs: nowUs() };
    answered = 0;
    fromUs = tick.toUs;
    process.stdout.write(`${JSON.stringify({ tick })}\n`);
  };
  (instance as unknown as NodeJS.EventEmitter).on('response', () => {
    answered += 1;
  });
  const everySecond = setInterval(second, 1000);
  const result = await instance;
  clearInterval(everySecond);
  second(); // what was answered since the last whole second
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
