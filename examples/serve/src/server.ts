// The Node server as a process of its own (forked by the measurement, talked
// to over IPC): a blocked event loop here can stall only this process, never
// the load generator or the probe that measure it.
//
// It says `ready` with its port and what its work costs alone; on `reset`
// it starts counting afresh (event-loop delay, CPU); on `stats` it answers
// once it has caught up with every request it took. That answer waits for
// the loop itself, which is the point: a blocked server answers late.
import { pbkdf2Sync } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as wait } from 'node:timers/promises';
import { createApp } from './routes.ts';
import { QUIET_MS } from './servers.ts';
import { compute, fastestMs, HASH, type Sizes } from './work.ts';
import { startWorkers } from './workers.ts';

export interface ServerConfig {
  latencyMs: number;
  workers: number;
  sizes: Sizes;
}

export type ToServer = { type: 'reset' } | { type: 'stats' };
export type FromServer =
  | {
      type: 'ready';
      port: number;
      computeMs: number;
      hashMs: number;
      cpuWorkers: number;
      uvThreads: number;
    }
  | {
      type: 'stats';
      loopDelayP50Ms: number;
      loopDelayP99Ms: number;
      loopDelayMaxMs: number;
      serverCpuShare: number;
      idleAt: number;
    };

const config = JSON.parse(process.argv[2] ?? '{}') as ServerConfig;
const cpuWorkers = availableParallelism();
const waitPool = await startWorkers(config.workers);
const cpuPool = await startWorkers(cpuWorkers);
// One task on each CPU thread before the first request: a thread's first
// run of the job is slower (V8 compiles it there anew), and would count
// against the pool.
await Promise.all(
  Array.from({ length: cpuWorkers }, () =>
    cpuPool.run({ kind: 'compute', tasks: config.sizes.tasks }),
  ),
);
const { app, busy, idleAt } = createApp({ ...config, waitPool, cpuPool });
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;

const { iterations } = config.sizes;
const { password, salt, bytes, digest } = HASH;
const send = (message: FromServer) => process.send?.(message);
send({
  type: 'ready',
  port,
  // What one request's work costs with a core to itself: the models' L for CPU work.
  computeMs: fastestMs(() => compute(config.sizes.tasks)),
  hashMs: fastestMs(() => pbkdf2Sync(password, salt, iterations, bytes, digest)),
  cpuWorkers,
  uvThreads: Number(process.env.UV_THREADPOOL_SIZE) || 4,
});

const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
let cpuAtReset = process.cpuUsage();
let resetAt = performance.now();
const ms = (ns: number) => Math.round(ns / 1e4) / 100;

process.on('message', async (message: ToServer) => {
  if (message.type === 'reset') {
    delay.reset();
    cpuAtReset = process.cpuUsage();
    resetAt = performance.now();
    return;
  }
  // Caught up: nothing running (a pool's queue included) and nothing started
  // for a while, since a blocked loop's line empties one request at a time,
  // with none running between two of them. Bounded in time.
  const quiet = () => busy() === 0 && Date.now() - idleAt() >= QUIET_MS;
  for (let waited = 0; !quiet() && waited < 120_000; waited += 10) await wait(10);
  const cpu = process.cpuUsage(cpuAtReset);
  send({
    type: 'stats',
    loopDelayP50Ms: ms(delay.percentile(50)),
    loopDelayP99Ms: ms(delay.percentile(99)),
    loopDelayMaxMs: ms(delay.max),
    idleAt: idleAt(),
    serverCpuShare: Math.round((cpu.user + cpu.system) / 10 / (performance.now() - resetAt)) / 100,
  });
});

// The measurement went away (ended, or killed): so does the server, and its pools with it.
process.on('disconnect', async () => {
  await app.close();
  await waitPool[Symbol.asyncDispose]();
  await cpuPool[Symbol.asyncDispose]();
  process.exit(0);
});
