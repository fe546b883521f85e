// serve on every core: the same Fastify app (server.ts, unchanged) as N
// processes sharing one port, with node:cluster. This is what
// `uvicorn --workers N` does for FastAPI: one event loop per process, so
// work that holds a loop (/block, /compute) is served N at a time, where
// one process serves it one at a time.
//
// This file is the cluster's primary, forked by the measurement
// (startClusterServer, below). It forks N workers; each runs server.ts and
// calls listen on port 0, and the primary hands every one of them the
// same listening socket (cluster shares a handle by its address), then
// deals the connections out round-robin. Nothing else is shared: each
// worker has its own loop, its own pools, its own heap.
//
// The primary speaks for its workers: `ready` once all are, `reset` to
// each, and `stats` once each has caught up, combined (the slowest loop's
// delays, the sum of their CPU, the last request's end).
import { fork, spawn } from 'node:child_process';
import cluster, { type Worker } from 'node:cluster';
import { get } from 'node:http';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { setTimeout as wait } from 'node:timers/promises';
import { within } from '@lab/harness';
import type { Route } from './routes.ts';
import type { FromServer, ServerConfig, ToServer } from './server.ts';
import { end, firstLine, nextFrom, ofType, QUIET_MS, type Server } from './servers.ts';
import { sizeWork } from './work.ts';

type Ready = Extract<FromServer, { type: 'ready' }>;
type Stats = Extract<FromServer, { type: 'stats' }>;
export type FromCluster = (Ready & { processes: number; pids: number[] }) | Stats;

if (import.meta.main && cluster.isPrimary) {
  // Alone: `node src/cluster.ts` serves 100 ms of work a request on one process a core.
  const [given, count = String(availableParallelism())] = process.argv.slice(2);
  const config =
    given ??
    JSON.stringify({ latencyMs: 100, workers: 4, sizes: sizeWork(100) } satisfies ServerConfig);
  cluster.setupPrimary({ exec: new URL('./server.ts', import.meta.url).pathname, args: [config] });
  const workers: Worker[] = Array.from({ length: Number(count) }, () => cluster.fork());
  const next = <T extends FromServer['type']>(worker: Worker, type: T) =>
    new Promise<Extract<FromServer, { type: T }>>((resolve) => {
      const onMessage = (message: FromServer) => {
        if (message.type !== type) return;
        worker.off('message', onMessage);
        resolve(message as Extract<FromServer, { type: T }>);
      };
      worker.on('message', onMessage);
    });
  // A worker that dies takes the cluster with it: the measurement sees the primary exit.
  cluster.on('exit', () => process.exit(1));
  const ready = await Promise.all(workers.map((worker) => next(worker, 'ready')));
  const first = ready[0] as Ready;
  // Run alone, it says where it serves, until Ctrl-C.
  if (!process.send) {
    console.log(
      `${workers.length} workers serving http://127.0.0.1:${first.port} (Ctrl-C stops them)`,
    );
  }
  process.send?.({
    ...first,
    // The work's cost alone: the fastest any worker measured, as one server does.
    computeMs: Math.min(...ready.map((r) => r.computeMs)),
    hashMs: Math.min(...ready.map((r) => r.hashMs)),
    processes: workers.length,
    pids: workers.map((worker) => worker.process.pid as number),
  } satisfies FromCluster);
  process.on('message', async (message: ToServer) => {
    const answers = message.type === 'stats' ? workers.map((w) => next(w, 'stats')) : [];
    for (const worker of workers) worker.send(message);
    if (message.type !== 'stats') return;
    const stats = await Promise.all(answers);
    const most = (key: keyof Stats) => Math.max(...stats.map((s) => Number(s[key])));
    process.send?.({
      type: 'stats',
      loopDelayP50Ms: most('loopDelayP50Ms'),
      loopDelayP99Ms: most('loopDelayP99Ms'),
      loopDelayMaxMs: most('loopDelayMaxMs'),
      idleAt: most('idleAt'),
      serverCpuShare: Math.round(stats.reduce((sum, s) => sum + s.serverCpuShare, 0) * 100) / 100,
    } satisfies FromCluster);
  });
  // The measurement went away: each worker's channel closes, and server.ts ends itself.
  process.on('disconnect', () => {
    cluster.removeAllListeners('exit');
    cluster.disconnect(() => process.exit(0));
  });
}

/** A Node cluster server: a Server, and the pids of its workers (their memory is measured from outside). */
export interface ClusterServer extends Server {
  pids: number[];
  processes: number;
}

/** A cluster's primary stops its workers first: given longer than one process. */
const STOP_MS = 5000;

export async function startClusterServer(
  config: ServerConfig,
  processes: number,
  routes: readonly Route[],
): Promise<ClusterServer> {
  const env = { ...process.env };
  delete env.UV_THREADPOOL_SIZE;
  const child = fork(new URL(import.meta.url), [JSON.stringify(config), String(processes)], {
    env,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const next = <T extends FromCluster['type']>(type: T, signal: AbortSignal) =>
    nextFrom(child, child, 'message', ofType<FromCluster, T>(type), 'the cluster', signal);
  const ready = await within(60_000, 'starting the Node cluster', (signal) =>
    next('ready', signal),
  ).catch(async (error: unknown) => {
    await end(child, STOP_MS);
    throw error;
  });
  const { type: _, port, processes: count, pids, ...setting } = ready;
  return {
    language: 'node',
    label: `node x${count}`,
    origin: `http://127.0.0.1:${port}`,
    routes,
    setting,
    pids,
    processes: count,
    async reset() {
      child.send({ type: 'reset' } satisfies ToServer);
    },
    async settle() {
      const {
        type: _,
        idleAt,
        ...loop
      } = await within(120_000, 'waiting for the cluster to catch up', (signal) => {
        const stats = next('stats', signal); // listening before asking
        child.send({ type: 'stats' } satisfies ToServer);
        return stats;
      });
      return { idleAt, loop };
    },
    [Symbol.asyncDispose]: () => end(child, STOP_MS),
  };
}

/**
 * FastAPI under `uvicorn --workers N` (python/serve.py with SERVE_WORKERS).
 * Each worker counts only the requests it holds, and /busy reaches whichever
 * worker the kernel hands the connection to: the cluster has caught up once
 * every one of the N has said, within one look round, that it holds none
 * and has been quiet a while.
 */
export async function startPythonCluster(
  python: string,
  latencyMs: number,
  processes: number,
  routes: readonly Route[],
): Promise<ClusterServer> {
  const child = spawn(python, [new URL('../python/serve.py', import.meta.url).pathname], {
    env: {
      ...process.env,
      SERVE_LATENCY_MS: String(latencyMs),
      SERVE_WORKERS: String(processes),
      PYTHONDONTWRITEBYTECODE: '1',
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const stop = async () => {
    child.stdin.end(); // serve.py's supervisor ends its workers when its stdin closes
    await end(child, STOP_MS);
  };
  const ready = await within(60_000, 'starting uvicorn --workers', (signal) =>
    firstLine(child, lines, signal),
  ).catch(async (error) => {
    await stop();
    throw error;
  });
  const origin = `http://127.0.0.1:${ready.port}`;
  // A new connection for every look (agent: false), so that the kernel may
  // hand it to any worker: a kept-alive one would ask the same worker forever.
  const look = () =>
    new Promise<{ busy: number; idleAt: number; quietMs: number; pid: number }>(
      (resolve, reject) => {
        const req = get(`${origin}/busy`, { agent: false, timeout: 120_000 }, (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (chunk: string) => {
            body += chunk;
          });
          res.on('end', () => resolve(JSON.parse(body)));
        });
        req.on('timeout', () => req.destroy(new Error('uvicorn did not answer /busy')));
        req.on('error', reject);
      },
    );
  // The workers are up once each has answered /busy (each is a pid of its own).
  const seen = new Set<number>();
  await within(60_000, 'waiting for every uvicorn worker', async (signal) => {
    while (seen.size < processes) {
      signal.throwIfAborted();
      const answer = await look().catch(() => null);
      if (answer) seen.add(answer.pid);
      else await wait(20);
    }
  }).catch(async (error) => {
    await stop();
    throw error;
  });
  return {
    language: 'python',
    label: `fastapi x${processes}`,
    origin,
    routes,
    setting: { computeMs: ready.computeMs, hashMs: 0, cpuWorkers: 40, uvThreads: 0 },
    pids: [...seen],
    processes,
    async reset() {},
    async settle() {
      const deadline = performance.now() + 120_000;
      let quiet = new Map<number, number>(); // pid -> its idleAt, while each says it is quiet
      while (performance.now() < deadline) {
        const { busy, idleAt, quietMs, pid } = await look();
        if (busy === 0 && quietMs >= QUIET_MS) quiet.set(pid, idleAt);
        else quiet = new Map();
        if (quiet.size >= processes) return { idleAt: Math.max(...quiet.values()), loop: null };
        await wait(5);
      }
      throw new Error('waiting for uvicorn --workers to catch up took longer than 120 s');
    },
    [Symbol.asyncDispose]: stop,
  };
}
