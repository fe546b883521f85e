// What serve's main needs around the lesson: the options it adds to the
// harness's (a list of connection counts), the servers it starts before any
// clock, the runs in order, and how long they will take. The routes are in
// routes.ts, the load and the probe in load.ts and probe.ts.
import { type ChildProcess, execFileSync } from 'node:child_process';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { availableParallelism } from 'node:os';
import {
  createProgress,
  type Option,
  type Outcome,
  option,
  type Strategy,
  UsageError,
} from '@lab/harness';
import { startClusterServer, startPythonCluster } from './cluster.ts';
import { measure } from './measure.ts';
import { model, type Setting } from './model.ts';
import { ROUTES, type Route } from './routes.ts';
import { type Server, startNodeServer, startPythonServer } from './servers.ts';
import { sizeWork } from './work.ts';

/** The counts a sweep runs: where each route's model bends, and past it. */
export const SWEEP = [10, 40, 80, 200];

/** `--connections 10,40,80`: one or more connection counts. */
export function connectionsOption(description: string, fallback: number[]): Option<number[]> {
  return {
    type: 'string',
    multiple: false,
    description,
    placeholder: 'C[,C...]',
    defaultText: fallback.join(','),
    parse(raw, flag) {
      const text = Array.isArray(raw) ? raw.at(-1) : raw;
      if (typeof text !== 'string') return fallback;
      const counts = text.split(',').map(Number);
      if (text.trim() === '' || counts.some((c) => !Number.isInteger(c) || c < 1 || c > 1000)) {
        throw new UsageError(`${flag} must be whole numbers from 1 to 1000, got '${text}'`);
      }
      return [...new Set(counts)];
    },
  };
}

export const options = {
  latency: option.number('each request waits, or computes, for about this many ms', {
    default: 100,
    min: 1,
    max: 10_000,
  }),
  connections: connectionsOption("the load generator's connections (one run per count)", [10]),
  sweep: option.flag(`every route at ${SWEEP.join(', ')} connections`),
  // `--route wait,block`, or `all`: which routes to load, in the routes' order.
  route: option.names('which routes to load', ROUTES, 'routes'),
  workers: option.int('threads in the pool the blocking wait is offloaded to', {
    default: 4,
    min: 1,
    max: 64,
  }),
  // Each process holds its own pools (W + one thread per core): 16 is about 1 GB here.
  processes: option.int(
    'also serve as N processes on one port (node:cluster; uvicorn --workers N); 1: one only',
    {
      default: Math.min(availableParallelism(), 16),
      min: 1,
      max: 16,
    },
  ),
  seconds: option.number('how long each run sends load', { default: 1, min: 0.2, max: 60 }),
  withPython: option.flag('load the FastAPI app too, with the same load generator'),
  python: option.path('the python3 with FastAPI and uvicorn (default /usr/bin/python3)'),
};

export interface Values {
  latency: number;
  connections: number[];
  sweep: boolean;
  route: Route[];
  workers: number;
  processes: number;
  seconds: number;
  withPython: boolean;
  python: string;
}

/** Does this Python have FastAPI and uvicorn? null if so, or why not. */
export function pythonProblem(python: string): string | null {
  try {
    execFileSync(python, ['-c', 'import fastapi, uvicorn'], { stdio: 'ignore', timeout: 20_000 });
    return null;
  } catch {
    return `${python} cannot import fastapi and uvicorn (apt-get install python3-fastapi python3-uvicorn)`;
  }
}

/** Before any clock: size the work here, start the servers. Disposing of it ends them all. */
export async function prepare(values: Values) {
  const routes = values.route;
  const config = {
    latencyMs: values.latency,
    workers: values.workers,
    sizes: sizeWork(values.latency),
  };
  const servers: Server[] = [];
  // Each server's own processes, seen as they are spawned (the child_process
  // channel), so their memory is read from outside: the pids of each server.
  const pids = new Map<Server, () => number[]>();
  const spawned: ChildProcess[] = [];
  const onSpawn = (message: unknown) => {
    spawned.push((message as { process: ChildProcess }).process);
  };
  const start = async (starting: () => Promise<Server & { pids?: number[] }>) => {
    const from = spawned.length;
    const server = await starting();
    const own = spawned.slice(from);
    pids.set(server, () => server.pids ?? own.map((child) => child.pid as number));
    servers.push(server);
    return server;
  };
  const prepared = {
    pids,
    values,
    servers,
    notes: [] as string[],
    connections: values.sweep ? SWEEP : values.connections,
    async [Symbol.asyncDispose]() {
      await Promise.all(servers.map((server) => server[Symbol.asyncDispose]()));
    },
  };
  subscribe('child_process', onSpawn);
  try {
    await start(() => startNodeServer(config, undefined, routes));
    // The same server with libuv's pool cut to one thread: its size is a bound.
    if (routes.includes('hash')) await start(() => startNodeServer(config, 1, ['hash']));
    // The same app as N processes on one port; its model takes the work's cost as the one
    // process measured it alone (N workers timing it at once, beside other work, read it slower).
    if (values.processes > 1)
      await start(async () => {
        const cluster = await startClusterServer(config, values.processes, routes);
        const alone = servers[0]?.setting ?? cluster.setting;
        cluster.setting = { ...cluster.setting, computeMs: alone.computeMs, hashMs: alone.hashMs };
        return cluster;
      });
    if (values.withPython) {
      const problem = pythonProblem(values.python);
      const pyRoutes = routes.filter((r) => !r.startsWith('hash'));
      if (problem) prepared.notes.push(`  fastapi: not run: ${problem}`);
      else if (pyRoutes.length > 0) {
        await start(async () => {
          const py = await startPythonServer(values.python, values.latency);
          return { ...py, routes: py.routes.filter((r) => pyRoutes.includes(r)) };
        });
        if (values.processes > 1)
          await start(() =>
            startPythonCluster(values.python, values.latency, values.processes, pyRoutes),
          );
      }
    }
  } catch (error) {
    await prepared[Symbol.asyncDispose]();
    throw error;
  } finally {
    unsubscribe('child_process', onSpawn);
  }
  return prepared;
}
export type Prepared = Awaited<ReturnType<typeof prepare>>;

/** The model's setting for a server: what its work cost alone, its pools, its processes. */
export function settingOf(server: Server, values: Values): Setting {
  return {
    ...server.setting,
    latencyMs: values.latency,
    workers: values.workers,
    cores: availableParallelism(),
    processes: (server as Server & { processes?: number }).processes ?? 1,
  };
}

/** The resident memory of each of these processes, in MB, read from outside (ps). */
function rssOf(pids: number[]): number[] {
  if (pids.length === 0) return [];
  try {
    const out = execFileSync('ps', ['-o', 'rss=', '-p', pids.join(',')], { encoding: 'utf8' });
    return out
      .trim()
      .split(/\s+/)
      .map((kb) => Math.round(Number(kb) / 102.4) / 10);
  } catch {
    return [];
  }
}

interface Cell {
  server: Server;
  route: Route;
  connections: number;
}

function cellsOf({ servers, connections }: Prepared): Cell[] {
  return servers.flatMap((server) =>
    server.routes.flatMap((route) => connections.map((c) => ({ server, route, connections: c }))),
  );
}

/** How long the runs should take: each run's seconds, plus the time its model says the queue left behind takes to drain. */
export function estimateSeconds(prepared: Prepared, values: Values): number {
  return cellsOf(prepared).reduce((total, { server, route, connections }) => {
    const rate = model(route, server.language, connections, settingOf(server, values)).reqPerSec;
    return total + values.seconds + 0.8 + (rate ? connections / rate : 0);
  }, 0);
}

export function strategies(values: Values & { json: boolean }, prepared: Prepared): Strategy[] {
  const cells = cellsOf(prepared);
  const progress = createProgress({ total: cells.length, label: 'runs', json: values.json });
  return cells.map(({ server, route, connections }, i) => ({
    name: `${server.label} ${route} c=${connections}`,
    run: async ({ signal }) => {
      try {
        return await measure(server, route, connections, values.seconds, signal);
      } finally {
        progress.tick();
        if (i === cells.length - 1 || signal.aborted) progress.stop();
      }
    },
    // Untimed: the row beside its model, and what each of the server's processes holds in memory.
    after: async (outcome) => {
      const rss = rssOf(prepared.pids.get(server)?.() ?? []);
      return {
        ...withModel(outcome, server, values),
        processes: settingOf(server, values).processes,
        ...(rss.length > 0 && {
          rssPerProcessMb: Math.round((rss.reduce((a, b) => a + b) / rss.length) * 10) / 10,
        }),
      };
    },
  }));
}

/** A record beside its model: the model's req/s, what bounds it, measured / model. */
function withModel(m: Outcome, server: Server, values: Values): Outcome {
  const route = m.route as Route;
  const { reqPerSec, bound } = model(
    route,
    server.language,
    Number(m.connections),
    settingOf(server, values),
  );
  const ratio = reqPerSec ? Math.round((Number(m.reqPerSec) / reqPerSec) * 100) / 100 : null;
  return {
    ...m,
    modelReqPerSec: reqPerSec === null ? null : Math.round(reqPerSec * 10) / 10,
    modelBound: bound,
    vsModel: ratio,
    // One request's work alone: the L of its model.
    workMs: route.startsWith('compute')
      ? server.setting.computeMs
      : route.startsWith('hash')
        ? server.setting.hashMs
        : values.latency,
  };
}
