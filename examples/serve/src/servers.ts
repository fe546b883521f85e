// Starting the servers the measurement loads, each a process of its own: the
// Node server (src/server.ts, forked, spoken to over IPC), the same with
// libuv's pool cut to one thread, and the FastAPI app under uvicorn. Each
// says what its work costs alone, and each is ended with the measurement,
// whatever happens: a killed parent closes their channel, and they exit.
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { setTimeout as wait } from 'node:timers/promises';
import { within } from '@lab/harness';
import type { Language, Setting } from './model.ts';
import { ROUTES, type Route } from './routes.ts';
import type { FromServer, ServerConfig, ToServer } from './server.ts';

export interface LoopStats {
  loopDelayP50Ms: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** The server's CPU from reset to caught up, as a share of one core. */
  serverCpuShare: number;
}

/** What a server says once it has caught up: when its last request ended, and (Node) its counts. */
export interface Settled {
  idleAt: number;
  loop: LoopStats | null;
}

export interface Server extends AsyncDisposable {
  language: Language;
  /** How the summary names it: node, node (uv 1), fastapi. */
  label: string;
  origin: string;
  routes: readonly Route[];
  /** What one request's work costs alone here, and the pools' sizes. */
  setting: Omit<Setting, 'latencyMs' | 'workers' | 'cores'>;
  /** Start counting afresh (event-loop delay, CPU). */
  reset(): Promise<void>;
  /** Wait until the server has caught up with every request it took; then its counts (Node only). */
  settle(): Promise<Settled>;
}

/** The longest a server may take to start, or to catch up after a run. */
const START_MS = 30_000;
const SETTLE_MS = 120_000;
/**
 * A server is caught up when nothing has run for this long. Nothing running
 * is not enough: a blocked loop runs the requests in its line one after
 * another, and between two of them its count of running requests is 0.
 */
export const QUIET_MS = 50;

/** Ask a server's process to stop (SIGTERM); after `hardMs`, make it (SIGKILL). */
export async function end(child: ChildProcess, hardMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const hard = setTimeout(() => child.kill('SIGKILL'), hardMs);
  await exited;
  clearTimeout(hard);
}

/**
 * What a server's process says next: the first `event` from `source` (its
 * IPC messages, its stdout's lines) that `take` turns into a value. Its
 * listeners go when it comes, when the process exits (`who` exited, with its
 * code), or when the signal aborts.
 */
export function nextFrom<V, T>(
  child: ChildProcess,
  source: NodeJS.EventEmitter,
  event: string,
  take: (value: V) => T | undefined,
  who: string,
  signal: AbortSignal,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const done = () => {
      source.off(event, onEvent);
      child.off('exit', onExit);
      signal.removeEventListener('abort', onAbort);
    };
    const onEvent = (value: V) => {
      const taken = take(value);
      if (taken === undefined) return;
      done();
      resolve(taken);
    };
    const onExit = (code: number | null) => {
      done();
      reject(new Error(`${who} exited (code ${code})`));
    };
    const onAbort = () => {
      done();
      reject(signal.reason);
    };
    source.on(event, onEvent);
    child.once('exit', onExit);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** serve.py's first line, once uvicorn listens: its port, and what its work cost. */
export const firstLine = (child: ChildProcess, lines: NodeJS.EventEmitter, signal: AbortSignal) =>
  nextFrom(
    child,
    lines,
    'line',
    (line: string) => JSON.parse(line) as { port: number; computeMs: number },
    'uvicorn',
    signal,
  );

/** The message of `type` among a union of typed messages, or undefined. */
export const ofType =
  <M extends { type: string }, T extends M['type']>(type: T) =>
  (message: M) =>
    message.type === type ? (message as Extract<M, { type: T }>) : undefined;

export async function startNodeServer(
  config: ServerConfig,
  uvThreads?: number,
  routes: readonly Route[] = ROUTES,
): Promise<Server> {
  const env = { ...process.env };
  if (uvThreads) env.UV_THREADPOOL_SIZE = String(uvThreads);
  else delete env.UV_THREADPOOL_SIZE;
  const child = fork(new URL('./server.ts', import.meta.url), [JSON.stringify(config)], {
    env,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  // The server's next message of this type.
  const next = <T extends FromServer['type']>(type: T, signal: AbortSignal) =>
    nextFrom(child, child, 'message', ofType<FromServer, T>(type), 'the server', signal);
  const ready = await within(START_MS, 'starting the Node server', (signal) =>
    next('ready', signal),
  ).catch(async (error: unknown) => {
    await end(child);
    throw error;
  });
  const say = (message: ToServer) => child.send(message);
  return {
    language: 'node',
    label: uvThreads ? `node (uv ${uvThreads})` : 'node',
    origin: `http://127.0.0.1:${ready.port}`,
    routes,
    setting: ready,
    async reset() {
      say({ type: 'reset' });
    },
    async settle() {
      const {
        type: _,
        idleAt,
        ...loop
      } = await within(SETTLE_MS, 'waiting for the server to catch up', (signal) => {
        const stats = next('stats', signal); // listening before asking
        say({ type: 'stats' });
        return stats;
      });
      return { idleAt, loop };
    },
    [Symbol.asyncDispose]: () => end(child),
  };
}

/** FastAPI's routes: the same paths, less Node's crypto. */
export const PYTHON_ROUTES: readonly Route[] = ROUTES.filter((route) => !route.startsWith('hash'));

export async function startPythonServer(python: string, latencyMs: number): Promise<Server> {
  const child = spawn(python, [new URL('../python/serve.py', import.meta.url).pathname], {
    env: { ...process.env, SERVE_LATENCY_MS: String(latencyMs), PYTHONDONTWRITEBYTECODE: '1' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const ready = await within(START_MS, 'starting uvicorn', (signal) =>
    firstLine(child, lines, signal),
  ).catch(async (error: unknown) => {
    await end(child);
    throw error;
  });
  const origin = `http://127.0.0.1:${ready.port}`;
  return {
    language: 'python',
    label: 'fastapi',
    origin,
    routes: PYTHON_ROUTES,
    setting: { computeMs: ready.computeMs, hashMs: 0, cpuWorkers: 40, uvThreads: 0 },
    async reset() {},
    async settle() {
      // uvicorn answers /busy when its loop is free; 0 once nothing is queued.
      const deadline = performance.now() + SETTLE_MS;
      while (performance.now() < deadline) {
        const res = await fetch(`${origin}/busy`, { signal: AbortSignal.timeout(SETTLE_MS) });
        const { busy, idleAt, quietMs } = (await res.json()) as Record<string, number>;
        // Nothing running, and nothing started for a while: nothing left in line either.
        if (busy === 0 && quietMs! >= QUIET_MS) return { idleAt: idleAt!, loop: null };
        await wait(20);
      }
      throw new Error(`waiting for uvicorn to catch up took longer than ${SETTLE_MS / 1000} s`);
    },
    async [Symbol.asyncDispose]() {
      child.stdin?.end(); // serve.py exits when its stdin closes
      await end(child);
    },
  };
}
