import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as wait } from 'node:timers/promises';
import type { ResultRecord } from '@lab/harness';
import { interruptAfter, runMain } from '@lab/harness/testing';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { LOCK_MS, STALLED_EVERY_MS } from '../src/queue.ts';
import { parseRedisUrl, redisServerProblem, startRedis } from '../src/redis.ts';

// Each run starts its own redis-server on a free port (or the test does,
// for --redis): these tests share nothing and may run beside any other, and
// beside each other: most of their time is a worker's lock lapsing, a
// connection timing out, a process starting.
const main = new URL('../src/main.ts', import.meta.url);
const lesson = new URL('../src/queue.ts', import.meta.url);
const worker = new URL('../src/queue-worker.ts', import.meta.url);

// Without redis-server the queue cannot run: skipped, saying why; on CI that is a failure.
const problem = redisServerProblem();
const skip = problem !== null && !process.env.CI;
const why = problem ? ` (skipped: ${problem})` : '';
const needsRedis = () => {
  if (problem) throw new Error(`CI needs redis-server: ${problem}`);
};

/** This run's own processes still alive: its workers, its Redis (by its port). */
const leftOver = (url: string) => {
  const port = new URL(url).port;
  return execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(`:${port}`) && /queue-worker\.ts|redis-server/.test(line));
};

async function runJson(args: string[]): Promise<ResultRecord[]> {
  const { code, report, stderr } = await runMain(main, ['--json', ...args], 180_000);
  if (code !== 0 || !report) throw new Error(`queue exited ${code}: ${stderr.trim()}`);
  return report.results;
}

describe.concurrent('a --redis URL', () => {
  it('is redis:// or rediss:// with a host and at most a database number', () => {
    expect(parseRedisUrl('redis://queue-host:6379')).toBe('redis://queue-host:6379');
    expect(parseRedisUrl('rediss://user:pw@host:6380/2')).toBe('rediss://user:pw@host:6380/2');
    for (const bad of [
      'localhost:6379',
      'http://host:6379',
      'redis://',
      'redis://host/x',
      'nonsense',
    ]) {
      expect(() => parseRedisUrl(bad), bad).toThrow(/--redis/);
    }
  });

  it('of a bad form is one line and exit code 2, for the example and for a worker', async () => {
    for (const file of [main, worker]) {
      for (const url of ['http://127.0.0.1:6379', 'redis://', 'not a url']) {
        const { code, stderr } = await runMain(file, ['--redis', url]);
        expect(code, `${file.pathname} ${url}`).toBe(2);
        expect(stderr.trim().split('\n')).toHaveLength(1);
      }
    }
    const { code, stderr } = await runMain(worker, []);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--redis URL is required/);
  });

  it('that nobody answers is one line and exit code 1, in bounded time', async () => {
    // The four at once: each waits out its own bound, not the others'.
    const cases = [main, worker].flatMap((file) =>
      ['redis://127.0.0.1:1', 'redis://no-such-host.invalid:6379'].map((url) => ({ file, url })),
    );
    await Promise.all(
      cases.map(async ({ file, url }) => {
        const started = performance.now();
        const args = file === main ? ['--redis', url, '--strategy', 'queue'] : ['--redis', url];
        const { code, stderr } = await runMain(file, args, 30_000);
        expect(code, `${file.pathname} ${url}`).toBe(1);
        expect(stderr.trim().split('\n'), stderr).toHaveLength(1);
        expect(stderr).toMatch(/cannot reach Redis/);
        expect(performance.now() - started).toBeLessThan(20_000);
      }),
    );
  });
});

describe.skipIf(skip)(`the queue${why}`, { concurrent: true }, () => {
  it('runs the lesson file alone: the total, exact, and its time', async () => {
    needsRedis();
    const { code, stdout, stderr } = await runMain(lesson, [], 120_000);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^Total \d+, exact$/m);
    expect(stdout).toMatch(/^Computed 20 sums on the queue in [\d.]+ seconds$/m);
  });

  it('adds up every task exactly once, one small task a job and in chunks sized from its own per-job cost', async () => {
    needsRedis();
    const strategies = ['sequential', 'queue-small', 'queue-chunked', 'queue'];
    const rows = await runJson([
      '--strategy',
      strategies.join(),
      '--tasks',
      '400',
      '--seconds',
      '0.3',
    ]);
    expect(rows.map((r) => r.strategy)).toEqual(strategies);
    for (const r of rows) {
      expect(r.exact, r.strategy).toBe(true);
      expect(r.failed, r.strategy).toBe(0);
    }
    const [sequential, small, chunked, queue] = rows as (ResultRecord & Record<string, number>)[];
    expect(queue?.total).toBe(sequential?.total);
    expect(small?.jobs).toBe(400);
    expect(small?.perJobMs).toBeGreaterThan(0);
    // Every job is at least two scripts in Redis: the add, and the finish that takes the next.
    expect(small?.scriptsPerJob).toBeGreaterThanOrEqual(1.5);
    expect(chunked?.chunk).toBeGreaterThan(1);
    expect(chunked?.jobs).toBe(Math.ceil(400 / Number(chunked?.chunk)));
    expect(chunked?.perJobMs).toBe(small?.perJobMs);
    expect(small?.loneJobMs).toBeGreaterThan(0);
  });

  // As long as the run may take (runMain's bound): beside the other tests the machine is busy.
  it('loses nothing when a worker is killed mid-job: the job is taken over, the total exact', {
    timeout: 180_000,
  }, async () => {
    needsRedis();
    const { code, report, stdout, stderr } = await runMain(
      main,
      ['--json', '--strategy', 'queue', '--kill-worker', '--seconds', '1'],
      180_000,
    );
    expect(code, stderr).toBe(0);
    const queue = report?.results[0] as ResultRecord & {
      killed: { takeoverMs: number; jobId: string };
    };
    expect(queue.exact, stdout).toBe(true);
    expect(queue.duplicates).toBe(0);
    expect(queue.killed.jobId).toBeTruthy();
    // The lock lapses, then a stalled-job check finds it: never sooner than the lock, and bounded.
    expect(queue.killed.takeoverMs).toBeGreaterThan(LOCK_MS * 0.5);
    expect(queue.killed.takeoverMs).toBeLessThan(LOCK_MS + 4 * STALLED_EVERY_MS + 5000);
  });

  it('says it lost Redis in one line, exits 1 and leaves nothing running when Redis goes mid-run', async () => {
    needsRedis();
    const redis = await startRedis();
    const watcher = new Redis(redis.url);
    watcher.on('error', () => {}); // its Redis is killed on purpose
    try {
      const child = spawn(process.execPath, [
        main.pathname,
        ...['--redis', redis.url, '--strategy', 'queue', '--seconds', '3', '--queue', 'gone'],
      ]);
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      const exited = once(child, 'exit');
      // Mid-run: once a worker holds one of the run's jobs of the CPU job (the untimed ones before it are small).
      const midRun = async () => {
        for (const id of await watcher.lrange('bull:gone:active', 0, -1)) {
          const data = JSON.parse((await watcher.hget(`bull:gone:${id}`, 'data')) ?? '{}');
          if (
            (data.tasks?.[0]?.n ?? 0) > 1_000_000 &&
            (await watcher.zcard('bull:gone:completed')) > 13
          )
            return true;
        }
        return false;
      };
      for (let i = 0; i < 6000 && !(await midRun()); i++) await wait(10);
      redis.process.kill('SIGKILL');
      const [code] = await exited;
      expect(code).toBe(1);
      expect(stderr.trim().split('\n'), stderr).toHaveLength(1);
      expect(stderr).toMatch(/lost Redis/);
      expect(leftOver(redis.url)).toEqual([]);
    } finally {
      watcher.disconnect();
      await redis[Symbol.asyncDispose]();
    }
  });

  it('stops its workers and its Redis on Ctrl-C, and exits 130', async () => {
    needsRedis();
    const { code, stdout } = await interruptAfter(
      main,
      ['--strategy', 'sequential,queue', '--seconds', '4'],
      'small job:',
    );
    expect(code).toBe(130);
    expect(stdout).toMatch(/interrupted: \d of 2 runs done\./);
    const url = /at (redis:\/\/\S+);/.exec(stdout)?.[1] ?? '';
    expect(url).not.toBe('');
    expect(leftOver(url)).toEqual([]);
  });
});
