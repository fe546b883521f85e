// One measurement: a route under C connections for a few seconds, from the
// load generator's own process, with the probe sending /ping beside it at a
// fixed rate from this one. Three processes, so that a blocked server can
// stall only itself, never the clients that measure it.
//
// Second by second, what the load and the probe count is also published on
// the `lab:counter` diagnostics channel, which the harness's observers turn
// into trace counters (@lab/harness observe.ts): the lab page draws them as
// the run goes, and nothing is published when nobody listens.
import { spawn } from 'node:child_process';
import { channel } from 'node:diagnostics_channel';
import type { Load, Tick } from './load.ts';
import { type ProbeSecond, startProbe } from './probe.ts';
import type { Route } from './routes.ts';
import type { Server } from './servers.ts';

const loadFile = new URL('./load.ts', import.meta.url).pathname;

const counters = channel('lab:counter');

/** Run the load generator once; resolves with what it measured, and hands on each second as it comes. */
function runLoad(
  url: string,
  connections: number,
  seconds: number,
  signal: AbortSignal,
  onTick: (tick: Tick) => void,
) {
  return new Promise<Load>((resolve, reject) => {
    const child = spawn(process.execPath, [loadFile, url, String(connections), String(seconds)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    // A line a second ({"tick": ...}), then the result's line.
    let out = '';
    let last = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const lines = out.split('\n');
      out = lines.pop() ?? '';
      for (const line of lines) {
        let tick: Tick | undefined;
        try {
          tick = (JSON.parse(line) as { tick?: Tick }).tick;
        } catch {} // not a tick: the result's line, checked once the process is done
        if (tick) onTick(tick);
        else last = line;
      }
    });
    // Ctrl-C, or a run far past its time: the load stops, the run is not recorded.
    const stop = () => child.kill('SIGKILL');
    signal.addEventListener('abort', stop, { once: true });
    const overrun = setTimeout(stop, (seconds + 60) * 1000);
    child.on('close', (code) => {
      signal.removeEventListener('abort', stop);
      clearTimeout(overrun);
      if (signal.aborted) return reject(signal.reason);
      try {
        resolve(JSON.parse(last || out) as Load);
      } catch {
        reject(new Error(`the load generator printed no result (exit code ${code})`));
      }
    });
  });
}

/** `promise`, or a rejection as soon as `signal` aborts (its own outcome is then ignored). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  promise.catch(() => {}); // a server ended on Ctrl-C rejects it later: nobody is waiting
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(signal.reason);
    if (signal.aborted) return stop();
    signal.addEventListener('abort', stop, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}

export async function measure(
  server: Server,
  route: Route,
  connections: number,
  seconds: number,
  signal: AbortSignal,
) {
  await server.reset();
  // One series per server and route, as the page draws them: req/s, and /ping's p99.
  const series = `${server.label} /${route}`;
  // The probe keeps its seconds only for someone listening (--trace, the lab page).
  const onSecond = (second: ProbeSecond) =>
    counters.publish({
      name: '/ping p99 (ms)',
      values: { [series]: second.p99Ms },
      ts: second.fromUs,
    });
  const probe = startProbe(
    `${server.origin}/ping`,
    undefined,
    counters.hasSubscribers ? onSecond : undefined,
  );
  let ping: ReturnType<typeof probe.stop> | undefined;
  const onTick = (tick: Tick) => {
    // A second's answers, drawn from the second's start (a counter holds until its next value).
    if (counters.hasSubscribers)
      counters.publish({
        name: 'requests per second',
        values: { [series]: tick.answered },
        ts: tick.fromUs,
      });
  };
  const load = await runLoad(
    `${server.origin}/${route}`,
    connections,
    seconds,
    signal,
    onTick,
  ).finally(() => {
    ping = probe.stop();
  });
  // The server catches up with what the load left in line before the next
  // run: up to C x L for a blocked loop. Ctrl-C does not wait for it.
  const { idleAt, loop } = await untilAborted(server.settle(), signal);
  // The server's rate: every request it was sent (those still in line when
  // the load stopped among them), over the time it was busy with them, from
  // the load's start to the end of its last request. A rate of answers
  // within the load's seconds alone would miss a server that answers each
  // request late, and C of them at once: Python's threads computing under
  // one GIL answer none of 40 requests in their first four seconds.
  const served = load.sent - load.errors;
  const busySeconds = Math.max(load.seconds, (idleAt - load.startMs) / 1000);
  return {
    items: served,
    failed: load.errors + load.non2xx,
    language: server.language,
    server: server.label,
    route,
    connections,
    reqPerSec: Math.round((served / busySeconds) * 10) / 10,
    answered: load.answered,
    answeredPerSec: Math.round((load.answered / load.seconds) * 10) / 10,
    busySeconds: Math.round(busySeconds * 100) / 100,
    // No answer within the load's time: no latency to show (not 0).
    ...(load.answered > 0 && {
      latencyP50Ms: load.latencyP50Ms,
      latencyP99Ms: load.latencyP99Ms,
      latencyMaxMs: load.latencyMaxMs,
    }),
    probeSent: ping!.sent,
    probeP50Ms: ping!.p50Ms,
    probeP99Ms: ping!.p99Ms,
    probeMaxMs: ping!.maxMs,
    ...(loop !== null && {
      loopDelayP99Ms: loop.loopDelayP99Ms,
      loopDelayMaxMs: loop.loopDelayMaxMs,
      serverCpuShare: loop.serverCpuShare,
    }),
    loadCpuShare: load.cpuShare,
  };
}
