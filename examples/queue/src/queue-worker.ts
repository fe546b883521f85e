// One queue worker process: the BullMQ Worker of queue.ts, on this machine
// or any other that can reach the Redis. The example forks these; on
// another machine, start as many as it has cores:
//
//   pnpm --filter queue worker -- --redis redis://queue-host:6379
//
// It says `ready` to a parent that forked it (or prints a line on a
// terminal), takes jobs until it is stopped (Ctrl-C or SIGTERM: it finishes
// the job in hand first) or its parent goes, and exits 1 with one line if
// it loses Redis.

import { setTimeout as wait } from 'node:timers/promises';
import { option, parseOptions, runCli, UsageError } from '@lab/harness';
import { LOCK_MS, QUEUE_NAME, work } from './queue.ts';
import { checkRedis, parseRedisUrl } from './redis.ts';

const spec = {
  redis: {
    ...option.path('the Redis to take jobs from, e.g. redis://queue-host:6379'),
    placeholder: 'URL',
  },
  queue: { ...option.path(`the queue's name (default ${QUEUE_NAME})`), placeholder: 'NAME' },
};
const usage =
  'Usage: pnpm --filter queue worker -- --redis URL [--queue NAME]\nTakes jobs from the queue and computes them, until stopped.';

// Errors of the connection itself, as opposed to one job's (a lock lost to a takeover).
const CONNECTION =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE|Connection is closed/;

runCli('queue worker', async ({ signal }) => {
  const values = parseOptions(process.argv.slice(2), spec, usage);
  if (!values.redis) throw new UsageError('--redis URL is required');
  const redis = parseRedisUrl(values.redis);
  await checkRedis(redis);
  const worker = work(redis, values.queue || QUEUE_NAME);
  try {
    const stopped = new Promise<void>((resolve, reject) => {
      signal.addEventListener('abort', () => resolve(), { once: true });
      process.once('disconnect', () => resolve()); // the parent that forked it is gone
      worker.on('error', (error) => {
        // Forked by the example, it leaves the report to its parent, which ends it.
        if (CONNECTION.test(error.message) && !process.send)
          reject(new Error(`lost Redis at ${redis}: ${error.message}`));
      });
    });
    await worker.waitUntilReady();
    if (process.send) process.send({ type: 'ready' });
    else
      console.log(`worker ${worker.name} taking jobs from '${worker.qualifiedName}' at ${redis}`);
    await stopped;
    // Finish the job in hand, within a bound: with Redis gone, closing would wait for it forever.
    const closed = await Promise.race([
      worker.close().then(() => true),
      wait(LOCK_MS, false, { ref: false }),
    ]).catch(() => false);
    if (!closed) await worker.disconnect();
  } catch (error) {
    await worker.disconnect();
    throw error;
  }
  return 0;
});
