// The strategies main.ts runs, in the page's order: each runs the Node way,
// prints the measured line that proves its claim, and, with Python, the
// asyncio original's line beside it (its requests counted by the same server).
import { type Outcome, type Strategy, UsageError } from '@lab/harness';
import { type SitesServer, startSitesThread } from '@lab/sites';
import { cancelAfter, cancelLine, loops } from './cancellation.ts';
import { completionOrder } from './completion.ts';
import { ms } from './downloads.ts';
import { eagerStart } from './eager.ts';
import { AT_ONCE } from './hedging.ts';
import {
  crossThreads,
  measureHedge,
  measureShield,
  measureTimeout,
  serverView,
  type TimeoutOutcome,
} from './measure.ts';
import { type PythonRecord, pythonArgs, runPython } from './python.ts';

export interface Settings {
  sites: number;
  latencyMs: number;
  deadlineMs: number;
  requests: number;
  python: boolean;
}
export interface Servers {
  slow: SitesServer;
  fast: SitesServer;
}

/** The slow server must answer well after the deadline, or no timeout is seen. */
export function checkSizes({ latencyMs, deadlineMs }: { latencyMs: number; deadlineMs: number }) {
  if (latencyMs <= deadlineMs + 50) {
    throw new UsageError(
      `--latency-ms must be more than --deadline-ms + 50 (${deadlineMs + 50}), got ${latencyMs}`,
    );
  }
}

/** The slow and the fast server, recording every request; closed when the runs are done. */
export async function startServers(latencyMs: number) {
  const [slow, fast] = await Promise.all([
    startSitesThread({ latencyMs, recordRequests: true }),
    startSitesThread({ latencyMs: 20, recordRequests: true }),
  ]);
  return {
    slow,
    fast,
    [Symbol.asyncDispose]: () => Promise.all([slow.close(), fast.close()]).then(() => {}),
  };
}

export const GRACE_MS = 20;
const LOOP = { steps: 30, stepMs: 10, cancelAfterMs: 100 };
const THREAD_MS = 200;

const timeoutLine = (how: string, o: TimeoutOutcome) =>
  `${how}: returned at ${ms(o.returnedMs)}; in flight at the server ${o.graceMs} ms after the deadline: ${o.inFlightAfter}; ` +
  `answered late, to nobody: ${o.answeredLate}; closed by the client: ${o.aborted}; the last ended at ${ms(o.lastEndMs)}`;

const proofOf = (o: TimeoutOutcome) =>
  `${o.inFlightAfter} in flight at +${o.graceMs} ms, last end ${ms(o.lastEndMs)}`;

export function ways(settings: Settings, servers: Servers): Strategy[] {
  const { slow, fast } = servers;
  const { sites, deadlineMs, latencyMs, requests } = settings;
  const sizes = {
    sites,
    deadlineMs,
    graceMs: GRACE_MS,
    ...LOOP,
    commitCancelMs: latencyMs * 1.5,
    requests,
    threadMs: THREAD_MS,
  };
  const asyncio = async <R extends object = object>(
    section: string,
    log: (line: string) => void,
    signal: AbortSignal,
  ): Promise<(PythonRecord & R)[]> => {
    if (!settings.python) return [];
    const records = await runPython<R>([section], pythonArgs(servers, sizes), signal);
    for (const line of records.flatMap((r) => r.lines ?? [])) log(`  asyncio: ${line}`);
    return records;
  };
  const strategy = (name: string, title: string, run: Strategy['run']): Strategy => ({
    name,
    run: async (context) => {
      context.log(`\n${name}: ${title}`);
      return run(context);
    },
  });
  const timeout = (way: 'race' | 'signal', how: string) =>
    strategy(`${way}-timeout`, how, async ({ log, signal }) => {
      const o = await measureTimeout(way, slow, { sites, deadlineMs, graceMs: GRACE_MS, signal });
      log(`  ${timeoutLine(how, o)}`);
      return { items: sites, proof: proofOf(o), ...o };
    });

  return [
    timeout('race', `Promise.race against a ${deadlineMs} ms timer`),
    timeout('signal', `AbortSignal.timeout(${deadlineMs}) handed to every request`),
    ...(settings.python
      ? [
          strategy(
            'asyncio-timeout',
            `async with asyncio.timeout(${deadlineMs / 1000})`,
            async ({ log, signal }) => {
              await slow.resetStats();
              const [record] = await asyncio<{ deadlineAt: number; returnedMs: number }>(
                'timeout',
                log,
                signal,
              );
              if (!record) throw new Error('the asyncio original gave no record');
              const o = await serverView(
                slow,
                record.deadlineAt - deadlineMs,
                deadlineMs,
                record.returnedMs,
                GRACE_MS,
              );
              log(`  ${timeoutLine('the server, of asyncio', o)}`);
              return { items: sites, language: 'python', proof: proofOf(o), ...o }; // asyncio's, counted here
            },
          ),
        ]
      : []),
    strategy(
      'cancel',
      `abort() after ${LOOP.cancelAfterMs} ms, to loops of ${LOOP.steps} steps of ${LOOP.stepMs} ms`,
      async ({ log, signal }) => {
        const outcomes: Record<string, Awaited<ReturnType<typeof cancelAfter>>> = {};
        for (const [name, loop] of Object.entries(loops)) {
          outcomes[name] = await cancelAfter(loop, LOOP);
          log(`  ${cancelLine(name, outcomes[name])}`);
        }
        await asyncio('cancel', log, signal);
        const { listening, deaf } = outcomes as Record<
          keyof typeof loops,
          (typeof outcomes)[string]
        >;
        return {
          items: 3,
          proof: `listening stopped ${ms(listening.stoppedMsAfterAbort)} after abort(); deaf did ${deaf.stepsAfterAbort} more steps`,
          loops: outcomes,
        };
      },
    ),
    strategy(
      'shield',
      "a commit not handed the caller's signal (asyncio.shield)",
      async ({ log, signal }) => {
        const o = await measureShield(slow, latencyMs * 1.5, signal);
        log(
          `  shield: caller gave up at ${ms(o.callerGaveUpMs)}; the commit was answered at ${ms(o.commitAnsweredMs ?? Number.NaN)} (server: ${o.commitAnswered ? 'answered' : 'not answered'})`,
        );
        await asyncio('shield', log, signal);
        return {
          items: 1,
          proof: `commit answered ${ms((o.commitAnsweredMs ?? 0) - o.callerGaveUpMs)} after the caller gave up`,
          ...o,
        };
      },
    ),
    strategy('eager', 'what runs before the first await', async ({ log, signal }) => {
      console.group(); // the lesson prints its own lines, in the order they run
      await eagerStart().finally(() => console.groupEnd());
      await asyncio('eager', log, signal);
      return { items: 1, proof: 'an async function runs at once, to its first await' };
    }),
    strategy(
      'order',
      'completion order, first finished, first success',
      async ({ log, signal }) => {
        for (const line of await completionOrder()) log(`  ${line}`);
        await asyncio('order', log, signal);
        return { items: 3, proof: 'fails, medium, slow; race: fails; any: medium' };
      },
    ),
    strategy(
      'hedge',
      `${requests} requests, ${AT_ONCE} at a time, to a fast and a slow server: one each, or both`,
      async ({ log, signal }) => {
        const { plainMs, hedgedMs, ...o } = await measureHedge(fast, slow, requests, signal);
        log(
          `  hedged (Promise.any, the loser aborted): p50 ${ms(o.hedgedP50)}, p99 ${ms(o.hedgedP99)}; one server each, round-robin: p50 ${ms(o.plainP50)}, p99 ${ms(o.plainP99)}`,
        );
        log(
          `  the slow server, of the hedged requests: ${o.slowCancelled} closed by the client, ${o.slowAnswered} answered`,
        );
        if (settings.python) {
          await slow.resetStats();
          await asyncio('hedge', log, signal);
          const seen = await slow.requests();
          log(
            `  the slow server, of asyncio's hedged requests: ${seen.filter((r) => !r.answered).length} closed by the client, ${seen.filter((r) => r.answered).length} answered`,
          );
        }
        return {
          items: requests,
          proof: `p99 ${ms(o.hedgedP99)} hedged, ${ms(o.plainP99)} not; ${o.slowCancelled} losers cancelled`,
          ...o,
          slowLatencyMs: latencyMs,
          plainMs,
          hedgedMs,
        };
      },
    ),
    {
      ...strategy(
        'threads',
        `a worker and its messages (to_thread, run_coroutine_threadsafe), ${THREAD_MS} ms each`,
        async ({ log, signal }) => {
          const o = await crossThreads(THREAD_MS, signal);
          log(
            `  heartbeats (every 5 ms): the loop blocked ${o.blockedOnLoop}, a worker blocked (to_thread) ${o.toThread}, a worker waiting for the loop (run_coroutine_threadsafe) ${o.fromThread}`,
          );
          for (const line of o.lines) log(`  ${line}`);
          await asyncio('threads', log, signal);
          return {
            items: 3,
            proof: `heartbeats ${o.blockedOnLoop} blocked, ${o.toThread} to_thread, ${o.fromThread} from a thread`,
            ...o,
          } satisfies Outcome;
        },
      ),
      // The last run: a blank line before the summary.
      after: async (outcome, { log }) => {
        log('');
        return outcome;
      },
    },
  ];
}
