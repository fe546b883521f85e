// The Redis the queue lives in: one started here when `redis-server` is
// installed (loopback only, a free port, nothing written to disk, stopped
// with the run), or one given by URL, which may be on another machine.
// Either way it is reached over TCP, as a worker on another machine would.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as wait } from 'node:timers/promises';
import { UsageError } from '@lab/harness';
import { Redis } from 'ioredis';

/** How long a Redis may take to answer its first PING before the run gives up on it. */
export const CONNECT_MS = 5000;

/** A `--redis` value: redis:// or rediss:// with a host; anything else is refused as bad input (exit 2). */
export function parseRedisUrl(text: string, flag = '--redis'): string {
  if (!URL.canParse(text)) throw new UsageError(`${flag} is not a valid URL: '${text}'`);
  const url = new URL(text);
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new UsageError(`${flag} must be a redis:// or rediss:// URL, got '${text}'`);
  }
  if (url.hostname === '') throw new UsageError(`${flag} has no host: '${text}'`);
  const db = url.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) {
    throw new UsageError(`${flag}: the path must be a database number, got '${url.pathname}'`);
  }
  return text;
}

/** Is redis-server installed here? null if so, or why not. */
export function redisServerProblem(): string | null {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore', timeout: 10_000 });
    return null;
  } catch {
    return 'redis-server is not installed (apt-get install redis-server), and no --redis URL was given';
  }
}

/**
 * Reach the Redis at `url` once, within CONNECT_MS, or throw one line that
 * names it: a refused port, an unknown host and a silent one all end here,
 * in bounded time, instead of in ioredis's endless reconnecting.
 */
export async function checkRedis(url: string): Promise<{ version: string }> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: CONNECT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // The connection's own error names the cause (ECONNREFUSED, ENOTFOUND); the command's says only "closed".
  let cause: Error | undefined;
  client.on('error', (error: Error) => {
    cause ??= error;
  });
  try {
    const info = await Promise.race([
      client.connect().then(() => client.info('server')),
      wait(CONNECT_MS + 1000, null, { ref: false }).then(() => {
        throw new Error(`no answer within ${CONNECT_MS / 1000} s`);
      }),
    ]);
    return { version: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown' };
  } catch (error) {
    const reason = cause?.message ?? (error instanceof Error ? error.message : String(error));
    throw new Error(`cannot reach Redis at ${url}: ${reason}`);
  } finally {
    client.disconnect();
  }
}

/** A port nobody holds right now: bind port 0, read what the system chose, let it go. */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  server.close();
  await once(server, 'close');
  return port;
}

export interface LocalRedis extends AsyncDisposable {
  url: string;
  process: ChildProcess;
}

/** Start a redis-server on 127.0.0.1 for this run: no snapshot, no append-only file. */
export async function startRedis(): Promise<LocalRedis> {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    // A run that ends by process.exit (a fatal error) skips the disposers: the server goes too.
    const kill = () => child.kill('SIGKILL');
    process.once('exit', kill);
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    child.stderr.resume();
    const exited = once(child, 'exit');
    const ready = (async () => {
      while (!output.includes('Ready to accept connections')) {
        await Promise.race([once(child.stdout, 'data'), exited]);
        if (child.exitCode !== null) throw new Error('redis-server exited');
      }
    })();
    const started = await Promise.race([
      ready.then(() => true),
      wait(10_000, false, { ref: false }),
    ]).catch(() => false);
    if (started) {
      return {
        url: `redis://127.0.0.1:${port}`,
        process: child,
        async [Symbol.asyncDispose]() {
          process.off('exit', kill);
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGTERM');
          const hard = setTimeout(kill, 3000);
          await exited;
          clearTimeout(hard);
        },
      };
    }
    kill();
    process.off('exit', kill);
    // Another program took the port between our look and redis's bind: try another.
    const line = output.trim().split('\n').at(-1) ?? '';
    if (attempt >= 2) throw new Error(`redis-server did not start: ${line}`);
  }
}
