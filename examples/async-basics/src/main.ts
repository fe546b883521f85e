// pnpm --filter async-basics start [-- --scale 1]
import {
  type Measurement,
  makeReport,
  option,
  parseOptions,
  printReport,
  runCli,
  sleep,
  timed,
} from '@lab/harness';
import {
  allSettledWithFailure,
  allWithFailure,
  concurrent,
  failAfter,
  group,
  groupWithFailure,
  loopResources,
  sequential,
  stateOf,
} from './async-basics.ts';
import { awaitFuture, awaitPromise, awaitThenable, blockingVersusExecutor } from './awaitables.ts';
import { clock, type SayOptions, sayAfter } from './say-after.ts';

const usage =
  "Usage: pnpm --filter async-basics start [-- options]\nThe notes' coroutines, tasks and task groups, timed.";
const spec = {
  scale: option.number("multiply the notes' seconds by this", { default: 1, min: 0.001, max: 10 }),
  json: option.flag('print one JSON object (the three timed ways) instead of the walk-through'),
};

runCli('async-basics', async ({ signal }) => {
  const { scale, json } = parseOptions(process.argv.slice(2), spec, usage);
  const log = json ? () => {} : (line: string) => console.log(line);
  const options: SayOptions = { scale, signal, say: (what) => log(`  ${what}`) };
  const ways = [
    ['sequential', 'await say_after(1), then await say_after(2)', sequential, 3],
    ['concurrent', 'start both (create_task), then await each', concurrent, 2],
    ['group', 'a TaskGroup, closed by `await using`', group, 2],
  ] as const;

  const measurements: Measurement[] = [];
  for (const [strategy, title, way, idealSeconds] of ways) {
    log(`\n${strategy}: ${title}`);
    log(`  started at ${clock()}`);
    const { wallMs } = await timed(() => way(options));
    log(`  finished at ${clock()} (${(wallMs / 1000).toFixed(2)} s)`);
    measurements.push({ strategy, items: 2, wallMs, idealMs: idealSeconds * 1000 * scale });
  }

  if (!json) {
    log('\nthe event loop knows every task and its state:');
    const task1 = sayAfter(1, 'hello', options);
    const task2 = sayAfter(2, 'world', options);
    const task3 = failAfter(0.5, options);
    task3.catch(() => {}); // handled: its rejection is shown below, not thrown
    const show = (when: string) =>
      log(
        `  ${when}: task1 ${stateOf(task1)}, task2 ${stateOf(task2)}, task3 ${stateOf(task3)}; loop waits on ${JSON.stringify(loopResources())}`,
      );
    show('at 0 s');
    await sleep(1500 * scale, signal);
    show('at 1.5 s');
    await task2;
    show('at 2 s');

    log('\na task fails after 0.5 s, beside hello (0.25 s) and world (2 s):');
    log('  TaskGroup:');
    log(
      `    rethrew: ${((await groupWithFailure(options)) as Error).message}; world was cancelled`,
    );
    log('  Promise.all:');
    log(
      `    rejected: ${((await allWithFailure(options)) as Error).message}; world still running...`,
    );
    await sleep(1600 * scale, signal);
    log('  Promise.allSettled:');
    for (const outcome of await allSettledWithFailure(options)) log(`    ${outcome}`);

    log('\nawaitables:');
    log(`  ${await awaitPromise()} · ${await awaitThenable()} · ${await awaitFuture()}`);
    const { blocked, offloaded } = await blockingVersusExecutor();
    log(
      `  run_in_executor: heartbeats (every 5 ms) during scryptSync ${blocked}, during scrypt on the thread pool ${offloaded}`,
    );
    log('');
  }
  printReport(makeReport('async-basics', measurements, 'sequential'), json);
  return 0;
});
