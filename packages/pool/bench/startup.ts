// Is piscina lean enough for the thread side? The same two trivial tasks on
// three kinds of two threads, timed from construction until both have
// answered (the start-up: a trivial task costs next to nothing), then 2,000
// tasks one after another (the cost of one task's round trip):
//
//   bare     two `new Worker`s of a file that loads nothing, spoken to directly
//   Pool     @lab/pool's Pool, its member's types stripped ahead
//   piscina  piscina 5, minThreads = maxThreads = 2
//
//   pnpm --filter @lab/pool bench
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { median } from '@lab/harness';
import { Piscina } from 'piscina';
import { Pool } from '../src/pool.ts';

const ROUNDS = 10;
const TASKS = 2000;
type Runner = { run(n: number): Promise<number>; close(): Promise<unknown> };

function bare(): Runner {
  const threads = [0, 1].map(() => new Worker(new URL('./echo-worker.mjs', import.meta.url)));
  const busy = [false, false];
  return {
    // The first free thread, as the pools pick: one task at a time goes to the same warm thread.
    run: (n) =>
      new Promise((resolve) => {
        const i = busy[0] ? 1 : 0;
        const thread = threads[i] as Worker;
        busy[i] = true;
        thread.once('message', (answer: number) => {
          busy[i] = false;
          resolve(answer);
        });
        thread.postMessage(n);
      }),
    close: () => Promise.all(threads.map((thread) => thread.terminate())),
  };
}

function labPool(): Runner {
  const pool = new Pool<number, { square: number }>(
    new URL('../test/fixtures/square-member.ts', import.meta.url),
    { size: 2 },
  );
  return { run: async (n) => (await pool.run(n)).square, close: () => pool.close() };
}

function piscina(): Runner {
  const pool = new Piscina({
    filename: new URL('./square-task.mjs', import.meta.url).href,
    minThreads: 2,
    maxThreads: 2,
  });
  return { run: (n) => pool.run(n), close: () => pool.destroy() };
}

async function measure(start: () => Runner) {
  const started = performance.now();
  const runner = start();
  await Promise.all([runner.run(2), runner.run(3)]);
  const startupMs = performance.now() - started;
  const first = performance.now();
  for (let i = 0; i < TASKS; i++) await runner.run(i % 10); // the fixture dies on 13, hangs on 99
  const taskUs = ((performance.now() - first) / TASKS) * 1000;
  await runner.close();
  return { startupMs, taskUs };
}

const kinds = { bare, Pool: labPool, piscina };
const seen: Record<string, { startupMs: number[]; taskUs: number[] }> = {};
// In turns, so a noisy moment on this shared machine hits each kind alike.
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, start] of Object.entries(kinds)) {
    const { startupMs, taskUs } = await measure(start);
    seen[name] ??= { startupMs: [], taskUs: [] };
    seen[name].startupMs.push(startupMs);
    seen[name].taskUs.push(taskUs);
  }
}
const bareStartup = median(seen.bare?.startupMs ?? []);
console.log(
  `two threads, ${ROUNDS} rounds (medians), Node ${process.version}, ${availableParallelism()} CPUs`,
);
for (const [name, { startupMs, taskUs }] of Object.entries(seen)) {
  const s = median(startupMs);
  console.log(
    `  ${name.padEnd(8)} start-up ${s.toFixed(1).padStart(6)} ms (${(s / bareStartup).toFixed(2)}x bare)   per task ${median(taskUs).toFixed(1).padStart(6)} µs`,
  );
}
