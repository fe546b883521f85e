// What queue's main needs around the lesson: its options, the work done
// before any clock (the Redis, the job's two sizes, the producer's queue),
// each strategy's untimed start and measurements (its worker processes,
// Redis's own command count, the fault), each row's model, the summary.
// The lesson itself is in queue.ts; the Redis in redis.ts; Celery in celery.ts.
import { channel } from 'node:diagnostics_channel';
import { availableParallelism } from 'node:os';
import {
  type ExampleValues,
  median,
  type Outcome,
  option,
  type RunContext,
  type Strategy,
  UsageError,
} from '@lab/harness';
import {
  calibrate,
  checkTask,
  DEFAULT_NUMBERS,
  makeTasks,
  runTask,
  sumOfSquaresClosedForm,
  type Task,
} from '@lab/job';
import { Redis } from 'ioredis';
import { type Celery, celeryProblem, startCelery } from './celery.ts';
import {
  type OpenQueue,
  openQueue,
  QUEUE_NAME,
  type Run,
  runOnQueue,
  runSequential,
  runThreads,
  startWorkers,
  type Workers,
} from './queue.ts';
import { checkRedis, parseRedisUrl, redisServerProblem, startRedis } from './redis.ts';

export const STRATEGIES = [
  'sequential',
  'threads',
  'queue-small',
  'queue-chunked',
  'queue',
  'celery',
  'celery-chunked',
] as const;
export type StrategyName = (typeof STRATEGIES)[number];

/** The small tasks' first n: each a few hundredths of a millisecond, far less than a job's cost on the queue. */
export const SMALL_BASE = 20_000;
/** A chunk is big enough when the queue's cost is at most this share of the chunk's own work. */
export const AMORTISE = 0.1;
/** A queue row within this share of its prediction is as predicted: the spread of runs on a shared 2-core machine. */
export const NOISE = 0.3;

export const options = {
  // `--strategy queue,queue-chunked`, or `all`.
  strategy: option.names('which strategies to run', STRATEGIES, 'strategies'),
  workers: option.int('worker processes (and threads) to start here', {
    default: Math.min(availableParallelism(), 16),
    min: 1,
    max: 16,
  }),
  seconds: option.number('size the CPU job so the sequential run takes about this long here', {
    default: 2,
    min: 0.05,
    max: 60,
  }),
  tasks: option.int('small tasks in the job that is run one per job and in chunks', {
    default: 2000,
    min: 10,
    max: 100_000,
  }),
  redis: {
    ...option.path('a Redis to use, redis://host:port (default: start one on 127.0.0.1)'),
    placeholder: 'URL',
  },
  queue: {
    ...option.path(`the queue's name in Redis (default ${QUEUE_NAME})`),
    placeholder: 'NAME',
  },
  killWorker: option.flag('SIGKILL one worker in the middle of a job in the queue run'),
};
export type Values = ExampleValues<typeof options>;

export const check = (values: Values) => {
  if (values.redis) parseRedisUrl(values.redis);
  if (values.killWorker && values.workers < 2)
    throw new UsageError('--kill-worker needs --workers 2 or more');
  if (values.killWorker && !values.strategy.includes('queue'))
    throw new UsageError('--kill-worker kills a worker in the queue strategy: run it');
};

/** What the run measured alone, fastest of three: the work without any queue. */
function timeAlone(tasks: readonly Task[]): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    for (const task of tasks) runTask(task);
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

export async function prepare(values: Values) {
  const cleanup: AsyncDisposable[] = [];
  const dispose = async () => {
    for (const item of cleanup.reverse()) await item[Symbol.asyncDispose]();
  };
  try {
    let redis = values.redis;
    if (!redis) {
      const problem = redisServerProblem();
      if (problem) throw new Error(problem);
      const local = await startRedis();
      cleanup.push(local);
      redis = local.url;
    }
    const { version } = await checkRedis(redis);
    const sizing = calibrate('squares', DEFAULT_NUMBERS, values.seconds, values.workers);
    const big = makeTasks('squares', sizing.numbers, sizing.base);
    const small = makeTasks('squares', values.tasks, SMALL_BASE);
    timeAlone(small); // V8 compiles the loop for the small n first: not in any number
    const name = values.queue || QUEUE_NAME;
    const q = await openQueue(redis, name);
    cleanup.push(q);
    // The harness's own connection, apart from the lesson's: Redis's counters, PINGs.
    const observer = new Redis(redis, { maxRetriesPerRequest: 1 });
    observer.on('error', () => {});
    cleanup.push({ [Symbol.asyncDispose]: async () => observer.disconnect() });
    const wantsCelery = values.strategy.some((s) => s.startsWith('celery'));
    const python = wantsCelery ? celeryProblem() : null;
    const prepared = {
      redis,
      local: !values.redis,
      version,
      name,
      q,
      observer,
      sizing,
      big,
      small,
      smallAloneMs: timeAlone(small),
      cores: availableParallelism(),
      /** The running strategy's worker processes, ended in its after (or with the run). */
      workers: null as Workers | null,
      celery: null as Celery | null,
      notes: python && wantsCelery ? [`  celery: not run: ${python}`] : ([] as string[]),
      skipCelery: python !== null,
      async [Symbol.asyncDispose]() {
        await prepared.workers?.[Symbol.asyncDispose]();
        await prepared.celery?.[Symbol.asyncDispose]();
        await dispose();
      },
    };
    return prepared;
  } catch (error) {
    await dispose();
    throw error;
  }
}
export type Prepared = Awaited<ReturnType<typeof prepare>>;

const round = (value: number, places = 2) => Math.round(value * 10 ** places) / 10 ** places;

/** The total of every result, and whether it is exactly the closed form's, each task counted once. */
function tally(tasks: readonly Task[], run: Run) {
  const total = run.results.reduce((sum, r) => sum + BigInt(r ?? 0), 0n);
  const expected = tasks.reduce((sum, t) => sum + sumOfSquaresClosedForm(t.n), 0n);
  const answered = run.results.filter((r) => r !== undefined).length;
  const exact =
    run.duplicates === 0 &&
    answered === tasks.length &&
    tasks.every((t) => checkTask(t, run.results[t.index] ?? '')) &&
    total === expected;
  return { total: String(total), exact, duplicates: run.duplicates, answered };
}

/**
 * Redis's own counts, by command: how many calls and how much of its time.
 * A script (EVALSHA) is one round trip however many commands it runs inside.
 */
async function commandStats(client: Redis) {
  const info = await client.info('commandstats');
  let scripts = 0;
  let calls = 0;
  let usec = 0;
  for (const [, name, c, u] of info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) {
    calls += Number(c);
    usec += Number(u);
    if (/^(evalsha|evalsha_ro|eval|fcall)$/.test(name ?? '')) scripts += Number(c);
  }
  return { scripts, calls, usec };
}

/** The median time of one PING, this process to Redis and back. */
async function pingMs(client: Redis): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 21; i++) {
    const started = performance.now();
    await client.ping();
    times.push(performance.now() - started);
  }
  return median(times);
}

/**
 * A worker's time per job beyond the job's own work, from a run of one
 * small task a job: slots workers were busy for the wall time, and of that
 * the tasks took what the workers timed; the rest, over the jobs, is the queue's.
 */
const perJobOf = (wallMs: number, jobs: number, workMs: number, slots: number) =>
  Math.max(0, (wallMs * slots - workMs) / jobs);

/** The chunk that makes the queue's cost AMORTISE of a job's work, with at least 4 jobs a worker. */
export function chunkFor(perJobMs: number, taskMs: number, tasks: number, workers: number): number {
  const wanted = Math.ceil(perJobMs / (AMORTISE * Math.max(taskMs, 1e-6)));
  return Math.max(1, Math.min(wanted, Math.ceil(tasks / (4 * workers))));
}

export function strategies(values: Values, p: Prepared): Strategy[] {
  const slots = Math.min(values.workers, p.cores);
  const smallTaskMs = p.smallAloneMs / p.small.length;
  const sequentialMs = (done: RunContext['done']) =>
    done.find((d) => d.strategy === 'sequential')?.wallMs ?? p.sizing.expectedMs;
  // The per-job cost: measured by queue-small in this run, or, without it, by 200 small jobs before the clock.
  let probed: number | null = null;
  const perJobMs = async (done: RunContext['done']) => {
    const measured = done.find((d) => d.strategy === 'queue-small')?.perJobMs;
    if (typeof measured === 'number') return measured;
    if (probed === null) {
      const tasks = p.small.slice(0, 200);
      const started = performance.now();
      await runOnQueue(p.q, tasks);
      probed = perJobOf(
        performance.now() - started,
        tasks.length,
        smallTaskMs * tasks.length,
        slots,
      );
    }
    return probed;
  };
  const workersFor = async () => {
    p.workers = await startWorkers(p.redis, values.workers, p.name);
  };
  const stopWorkers = async () => {
    await p.workers?.[Symbol.asyncDispose]();
    p.workers = null;
  };
  let statsBefore = { scripts: 0, calls: 0, usec: 0 };
  let costs: Awaited<ReturnType<typeof lone>> | null = null;
  let chunk = 1;
  let perJob = 0;
  let fault: ReturnType<typeof killMidJob> | null = null;
  let began = 0; // when the strategy's run began (epoch ms): its jobs finished after it

  const onQueue = (
    name: StrategyName,
    tasks: readonly Task[],
    workMs: (d: RunContext['done']) => number,
  ): Strategy => ({
    name,
    async before({ done }) {
      await workersFor();
      // Each worker runs the job's code once before the clock: a fresh process computes slowly until V8 has compiled it.
      const taskMs = workMs(done) / tasks.length;
      const size = Math.max(
        1,
        Math.min(Math.ceil(50 / taskMs), Math.floor(tasks.length / values.workers)),
      );
      await runOnQueue(p.q, tasks.slice(0, size * values.workers), { chunk: size });
      costs ??= await lone(p);
      if (name !== 'queue-small') perJob = await perJobMs(done);
      if (name === 'queue-chunked')
        chunk = chunkFor(perJob, smallTaskMs, tasks.length, values.workers);
      if (name === 'queue' && values.killWorker)
        fault = killMidJob(p, sequentialMs(done) / tasks.length);
      statsBefore = await commandStats(p.observer);
      began = Date.now();
    },
    run: async ({ signal }) => {
      const run = await runOnQueue(p.q, tasks, {
        chunk: name === 'queue-chunked' ? chunk : 1,
        signal,
      });
      return { items: tasks.length, run } as Outcome;
    },
    async after(outcome, { done }) {
      const run = outcome.run as Run;
      const stats = await commandStats(p.observer);
      await publishJobs(p.q.queue, began);
      const startupMs = p.workers?.startupMs ?? 0;
      await stopWorkers();
      const work = workMs(done);
      const onWorkers = run.computeMs ?? work;
      if (name === 'queue-small') perJob = perJobOf(outcome.wallMs, run.jobs, onWorkers, slots);
      const killed = fault ? await fault : null;
      fault = null;
      return {
        ...record(tasks, run, work, slots, outcome.wallMs),
        workers: values.workers,
        startupMs: round(startupMs, 1),
        chunk: name === 'queue-chunked' ? chunk : 1,
        scriptsPerJob: round((stats.scripts - statsBefore.scripts) / run.jobs, 2),
        commandsPerJob: round((stats.calls - statsBefore.calls) / run.jobs, 1),
        redisMsPerJob: round((stats.usec - statsBefore.usec) / 1000 / run.jobs, 3),
        perJobMs: round(perJob, 3),
        // The work as the workers timed it (slower than alone when the cores are shared), every job's
        // cost beyond it, over the slots; and one lone job's trip (add, start, result heard back).
        onWorkersMs: round(onWorkers, 1),
        predictedMs: round((costs?.loneJobMs ?? 0) + (onWorkers + run.jobs * perJob) / slots, 1),
        ...costs,
        ...(killed && { killed }),
      };
    },
  });

  const all: Record<StrategyName, () => Strategy> = {
    sequential: () => ({
      name: 'sequential',
      run: async () => ({ items: p.big.length, run: await runSequential(p.big) }),
      after: async (o) => record(p.big, o.run as Run, o.wallMs, 1, o.wallMs),
    }),
    threads: () => ({
      name: 'threads',
      run: async () => ({
        items: p.big.length,
        run: await runThreads(p.big, { workers: values.workers }),
      }),
      after: async (o, { done }) => ({
        ...record(p.big, o.run as Run, sequentialMs(done), slots, o.wallMs),
        workers: values.workers,
      }),
    }),
    'queue-small': () => onQueue('queue-small', p.small, () => p.smallAloneMs),
    'queue-chunked': () => onQueue('queue-chunked', p.small, () => p.smallAloneMs),
    queue: () => onQueue('queue', p.big, sequentialMs),
    celery: () => onCelery(p, values, 'one', slots),
    'celery-chunked': () => onCelery(p, values, 'chunks', slots),
  };
  return values.strategy
    .filter((s) => !(p.skipCelery && s.startsWith('celery')))
    .map((s) => all[s]());
}

/** A row's fields: the exact total, the work alone, the ideal on `slots` cores, the speedup over the work alone. */
function record(tasks: readonly Task[], run: Run, workMs: number, slots: number, wallMs: number) {
  const t = tally(tasks, run);
  const wrong = tasks.filter((task) => !checkTask(task, run.results[task.index] ?? '')).length;
  return {
    items: tasks.length,
    failed: wrong + t.duplicates,
    jobs: run.jobs,
    exact: t.exact,
    total: t.total,
    duplicates: t.duplicates,
    perWorker: run.perWorker,
    workMs: round(workMs, 1),
    idealMs: round(workMs / slots, 1),
    // Over the work alone, not over the sequential row: the small job is another job.
    vsAlone: round(workMs / wallMs),
  };
}

const tasks = channel('lab:task');

/**
 * For a trace or the lab page: each job finished since `since` as a task on
 * its worker's track, from the times Redis keeps (processedOn, finishedOn,
 * and processedBy, the worker's host:pid). Read after the run, untimed, and
 * only when someone is watching.
 */
async function publishJobs(queue: OpenQueue['queue'], since: number) {
  if (!tasks.hasSubscribers) return;
  for (const job of await queue.getCompleted(0, -1)) {
    const pid = Number(job.processedBy?.split(':').at(-1));
    if (!job.processedOn || !job.finishedOn || job.finishedOn < since) continue;
    if (Number.isInteger(pid))
      tasks.publish({ pid, name: 'job', from: job.processedOn * 1000, to: job.finishedOn * 1000 });
  }
}

/** A lone job on an idle queue: from add to its worker starting it, and to its result heard back. */
async function lone(p: Prepared) {
  const roundTrips: number[] = [];
  for (let i = 0; i < 11; i++) {
    const started = performance.now();
    await runOnQueue(p.q, p.small.slice(0, 1));
    roundTrips.push(performance.now() - started);
  }
  const jobs = await p.q.queue.getCompleted(0, 10);
  const starts = jobs.map((job) => (job.processedOn ?? job.timestamp) - job.timestamp);
  return {
    redisPingMs: round(await pingMs(p.observer), 3),
    enqueueToStartMs: round(median(starts), 1),
    loneJobMs: round(median(roundTrips), 2),
  };
}

/**
 * The fault: wait until the first worker is in the middle of a job, SIGKILL
 * it, and time the takeover: from the kill until Redis says another worker
 * started that job.
 */
function killMidJob(p: Prepared, taskMs: number) {
  const workers = p.workers as Workers;
  const victim = workers.processes[0];
  return (async () => {
    const deadline = performance.now() + 60_000;
    let jobId: string | undefined;
    while (!jobId && performance.now() < deadline) {
      const active = await p.q.queue.getActive();
      jobId = active.find((job) => job.processedBy?.endsWith(`:${victim?.pid}`))?.id;
      if (!jobId) await new Promise((r) => setTimeout(r, 5));
    }
    if (!jobId || !victim) throw new Error('no worker was seen in the middle of a job to kill');
    // Into the job, not at its edge: a third of a task's time.
    await new Promise((r) => setTimeout(r, taskMs / 3));
    const restarted = new Promise<number>((resolve) => {
      const onActive = ({ jobId: id }: { jobId: string }) => {
        if (id !== jobId) return;
        p.q.events.off('active', onActive);
        resolve(performance.now());
      };
      p.q.events.on('active', onActive);
    });
    victim.kill('SIGKILL');
    const killedAt = performance.now();
    const stalled = new Promise<number>((resolve) =>
      p.q.events.once('stalled', () => resolve(performance.now())),
    );
    const takenAt = await restarted;
    const stalledAt = await Promise.race([stalled, Promise.resolve(takenAt)]);
    return {
      pid: victim.pid,
      jobId,
      stalledAfterMs: round(stalledAt - killedAt, 0),
      takeoverMs: round(takenAt - killedAt, 0),
    };
  })();
}

/** Celery's rows: its workers started before the clock (once), the same small job, one task a message or in chunks. */
function onCelery(p: Prepared, values: Values, mode: 'one' | 'chunks', slots: number): Strategy {
  let chunk = 1;
  return {
    name: mode === 'one' ? 'celery' : 'celery-chunked',
    async before({ done }) {
      p.celery ??= await startCelery(p.redis, values.workers, p.small);
      if (mode === 'chunks') {
        const measured = done.find((d) => d.strategy === 'celery')?.perJobMs;
        const perJob = typeof measured === 'number' ? measured : await p.celery.probe();
        chunk = chunkFor(perJob, p.celery.taskMs, p.small.length, values.workers);
      }
    },
    run: async () => {
      const celery = p.celery as Celery;
      const results = await celery.run(chunk);
      return {
        items: p.small.length,
        run: { results, perWorker: {}, jobs: Math.ceil(p.small.length / chunk), duplicates: 0 },
      };
    },
    async after(o) {
      const celery = p.celery as Celery;
      const run = o.run as Run;
      const work = celery.taskMs * p.small.length;
      const perJob = mode === 'one' ? perJobOf(o.wallMs, run.jobs, work, slots) : null;
      const { perWorker: _, ...fields } = record(p.small, run, work, slots, o.wallMs);
      return {
        ...fields,
        workers: values.workers,
        startupMs: round(celery.startupMs, 1),
        chunk,
        ...(perJob !== null && { perJobMs: round(perJob, 3) }),
      };
    },
  };
}
