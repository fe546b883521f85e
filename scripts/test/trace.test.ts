import { channel } from 'node:diagnostics_channel';
import { once } from 'node:events';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mainTrack, observeAll, Trace, type TraceEvent } from '@lab/harness';
import { describe, expect, it } from 'vitest';
import { named, traceDir, traced, within } from './trace-run.ts';

// One trace per family whose checks count rather than time (the ones that
// compare times are in trace.speed.test.ts; serve's and queue's are in
// trace-servers.test.ts): each run at its smallest, and
// its trace checked against the record of the same run. A trace and a record
// come from the same observation, so they must agree.

const slices = (events: TraceEvent[], cat: string, ph: 'b' | 'e') =>
  events.filter((e) => e.cat === cat && e.ph === ph);
const instants = (events: TraceEvent[], name: string) =>
  events.filter((e) => e.ph === 'i' && e.name === name);

/** The members a pool's run named, by the track each has: `pid:tid`. */
function memberTracks(events: TraceEvent[], pattern: RegExp): string[] {
  return events
    .filter((e) => e.ph === 'M' && pattern.test(String(e.args?.name)))
    .map((e) => (e.name === 'process_name' ? `${e.pid}:0` : `${e.pid}:${e.tid}`));
}

/** Each task slice (b and e with one id) on one member's track, inside the run. */
function expectTasks(events: TraceEvent[], members: string[], items: number) {
  const begun = slices(events, 'task', 'b');
  const ended = slices(events, 'task', 'e');
  expect(begun).toHaveLength(items);
  expect(ended.map((e) => e.id).sort()).toEqual(begun.map((e) => e.id).sort());
  const where = (e: TraceEvent) => `${e.pid}:${e.tid}`;
  for (const task of [...begun, ...ended]) expect(members).toContain(where(task));
  // Every member took a task: the pool was used, not one of it.
  expect(new Set(begun.map(where)).size).toBe(members.length);
}

describe('a trace agrees with its own run', () => {
  // Cold pools start their members in the run; warm ones before it, in
  // prepare, and each member is traced from the first task a run gives it.
  it.for([
    ['threads', /^worker thread \d+$/],
    ['processes', /^child process \d+$/],
    ['threads-warm', /^worker thread \d+$/],
    ['processes-warm', /^child process \d+$/],
  ] as const)(
    'cpu, %s: a named track per member, each task a slice on its own, one per item',
    async ([strategy, member]) => {
      const { record, events } = await traced(
        'cpu-multiprocess',
        `--strategy ${strategy} --numbers 4 --base 200000 --workers 2`,
      );
      const members = memberTracks(events, member);
      expect(members).toHaveLength(record.workers as number);
      const kind = strategy.startsWith('threads') ? 'thread' : 'process';
      // A child's main thread is named too, as its own track.
      if (kind === 'process')
        for (const track of members) {
          const [pid] = track.split(':');
          const names = events.filter((e) => e.ph === 'M' && String(e.pid) === pid);
          expect(names.map((e) => e.name)).toContain('thread_name');
        }
      // Each member's life a slice on its track: from its start, or for a warm
      // pool from its first task, marked as made before the runs.
      const lives = slices(events, kind, 'b');
      expect(lives).toHaveLength(members.length);
      expect(slices(events, kind, 'e')).toHaveLength(members.length);
      const warm = strategy.endsWith('-warm');
      for (const life of lives) expect(Boolean(life.args?.madeBeforeTheRuns)).toBe(warm);
      expectTasks(within(events, strategy), members, record.items);
    },
  );

  it('basics: a slice per way, as long as its record, with the record beside it', async () => {
    const { records, events } = await traced('async-basics', '--scale 0.02');
    expect(named(events)).toEqual(['async-basics', 'main thread']);
    expect(slices(events, 'run', 'b').map((e) => e.name)).toEqual(records.map((r) => r.strategy));
    for (const record of records) {
      const [begin, end] = events.filter((e) => e.cat === 'run' && e.name === record.strategy);
      expect(Math.abs((end!.ts! - begin!.ts!) / 1000 - record.wallMs)).toBeLessThan(1);
      expect(instants(events, 'record').map((e) => e.args?.strategy)).toContain(record.strategy);
      // The heartbeat beat through it: the timers that wait never hold the loop.
      expect(
        within(events, record.strategy).filter((e) => e.name === 'event loop delay').length,
      ).toBeGreaterThan(0);
    }
  });

  it('timeouts: a deadline firing, an abort, and each cancelled request, as instants', async () => {
    const { records, events } = await traced(
      'timeouts-and-cancellation',
      '--sites 3 --latency-ms 100 --deadline-ms 30 --requests 4 --python off',
    );
    const byName = (name: string) => records.find((r) => r.strategy === name)!;
    // The signal's deadline fires once, and cancels every request it was handed.
    const signal = within(events, 'signal-timeout');
    expect(instants(signal, 'deadline')).toHaveLength(1);
    expect(instants(signal, 'deadline')[0]!.args?.afterMs).toBe(30);
    const cancelled = instants(signal, 'cancelled');
    expect(cancelled).toHaveLength(byName('signal-timeout').aborted as number);
    for (const instant of cancelled) expect(instant.args?.by).toBe('deadline');
    // Each cancelled request's slice ends not ok, its reason with it.
    const failed = slices(signal, 'request', 'e').filter((e) => e.args?.ok === false);
    expect(failed.map((e) => e.args?.cancelled)).toEqual(cancelled.map(() => 'deadline'));
    // The hedge's losers: one per hedged request, each cancelled by an abort.
    // The slow server saw at most these closed: a loser aborted before its
    // request reached it (a busy machine) is cancelled here and unseen there.
    const hedge = within(events, 'hedge');
    const losers = instants(hedge, 'cancelled');
    expect(losers).toHaveLength(byName('hedge').requests as number);
    expect(losers.length).toBeGreaterThanOrEqual(byName('hedge').slowCancelled as number);
    for (const instant of losers) expect(instant.args?.by).toBe('abort');
    expect(instants(hedge, 'abort').length).toBeGreaterThanOrEqual(losers.length);
    expect(instants(hedge, 'error')).toEqual([]);
    // Cancellation: one abort per loop, with its reason.
    const cancel = within(events, 'cancel');
    const loops = Object.keys(byName('cancel').loops as object);
    expect(instants(cancel, 'abort')).toHaveLength(loops.length);
    // And every request was over by the end.
    const flight = events.filter((e) => e.name === 'requests in flight');
    expect(flight.at(-1)?.args?.requests).toBe(0);
  });
});

describe('lab:counter, the channel measuring code publishes its counters on', () => {
  it('turns each message into a counter on the main thread, at its own time, while observing only', async () => {
    const trace = new Trace();
    const counters = channel('lab:counter');
    expect(counters.hasSubscribers).toBe(false);
    const stop = observeAll(trace, 'test');
    try {
      expect(counters.hasSubscribers).toBe(true);
      counters.publish({ name: 'requests per second', values: { 'node /wait': 480 }, ts: 1_000 });
      counters.publish({ name: 'p99', values: { a: 3.5, b: Number.NaN } });
      // Not a counter: no name, no values, or no number among them.
      counters.publish({ values: { a: 1 } });
      counters.publish({ name: 'nothing' });
      counters.publish({ name: 'words', values: { a: 'many' } });
    } finally {
      stop();
    }
    counters.publish({ name: 'after', values: { a: 1 } });
    const published = trace.events.filter(
      (e) => e.ph === 'C' && !['event loop delay', 'shared memory'].includes(e.name),
    );
    expect(published.map((e) => [e.name, e.args, e.pid, e.tid])).toEqual([
      ['requests per second', { 'node /wait': 480 }, mainTrack.pid, mainTrack.tid],
      ['p99', { a: 3.5 }, mainTrack.pid, mainTrack.tid],
    ]);
    expect(published[0]!.ts).toBe(1_000);
    expect(counters.hasSubscribers).toBe(false);
  });

  it('notes deadlines and aborts while observing, and gives AbortSignal and AbortController back as they were', () => {
    const timeout = AbortSignal.timeout;
    const abort = AbortController.prototype.abort;
    const trace = new Trace();
    const stop = observeAll(trace, 'test');
    try {
      const controller = new AbortController();
      controller.abort(new Error('enough'));
      controller.abort(new Error('again')); // already aborted: no second moment
      expect(controller.signal.reason.message).toBe('enough');
      expect(AbortSignal.timeout(1_000)).toBeInstanceOf(AbortSignal);
    } finally {
      stop();
    }
    expect(AbortSignal.timeout).toBe(timeout);
    expect(AbortController.prototype.abort).toBe(abort);
    expect(trace.events.filter((e) => e.ph === 'i').map((e) => [e.name, e.args])).toEqual([
      ['abort', { reason: 'enough' }],
    ]);
  });
});

describe('the live stream', () => {
  it('takes each event as one JSON line, and none once it has ended (a member that exits last)', async () => {
    const file = join(traceDir, 'live.jsonl');
    const stream = createWriteStream(file);
    const trace = new Trace(stream);
    trace.instant(mainTrack, 'before');
    stream.end();
    // Written to an ended stream, this would be an 'error' event, and nobody listens for it.
    trace.instant(mainTrack, 'after');
    await once(stream, 'close');
    expect(trace.events.map((e) => e.name)).toEqual(['before', 'after']);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines.map((line) => JSON.parse(line).name)).toEqual(['before']);
  });
});
