import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TraceEvent } from '@lab/harness';
import { startSitesServer } from '@lab/sites';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../src/paths.ts';
import { traceDir as dir, named, run, type Traced, traced } from './trace-run.ts';

// The traces whose checks compare times (the I/O family's requests, the
// race, the event loop), each against the record of the same run: the
// tracks it names, the slices it draws, the counters it keeps. A trace and a
// record come from the same observation, so they must agree. The other
// families' checks count, and are in trace.test.ts.

/** Each request's slice: its start, first byte and end, in ms from the first request's start. */
function requestRows(events: TraceEvent[]) {
  const slices = events.filter((e) => e.cat === 'request');
  const byId = new Map<string, TraceEvent[]>();
  for (const e of slices) byId.set(e.id!, [...(byId.get(e.id!) ?? []), e]);
  const rows = [...byId.values()].map((mine) => {
    const whole = mine.filter((e) => /^GET /.test(e.name));
    const body = mine.find((e) => e.name === 'body' && e.ph === 'b');
    return [whole[0]!.ts!, body?.ts ?? null, whole[1]!.ts!] as const;
  });
  rows.sort((a, b) => a[0] - b[0]);
  const origin = rows[0]![0];
  return rows.map(([start, first, end]) => [
    (start - origin) / 1000,
    first === null ? null : (first - origin) / 1000,
    (end - origin) / 1000,
  ]);
}

/** The record's request rows, from its first request's start. */
function recordRows(record: Traced['record']) {
  const rows = [...(record.requests as [number, number | null, number][])].sort(
    (a, b) => a[0] - b[0],
  );
  const origin = rows[0]![0];
  return rows.map(([start, first, end]) => [
    start - origin,
    first === null ? null : first - origin,
    end - origin,
  ]);
}

/** Every time of one within 1 ms of the other's (the record keeps tenths of a millisecond). */
function expectWithinAMillisecond(a: (number | null)[][], b: (number | null)[][]) {
  expect(a).toHaveLength(b.length);
  for (const [i, row] of a.entries()) {
    for (const [j, t] of row.entries()) {
      const other = b[i]![j];
      if (t === null || other === null) expect(t).toBe(other);
      else expect(Math.abs(t - other!), `request ${i}, time ${j}`).toBeLessThan(1);
    }
  }
}

describe('a trace agrees with its own run', () => {
  it('I/O: each request a slice with its phases, the same requests at the same times as the record', async () => {
    const { record, events } = await traced('async-download', '--sites 20 --latency 50');
    expect(named(events)).toEqual(['async-download', 'main thread']);
    // The run is one slice on the main thread, as long as the record says.
    const run = events.filter((e) => e.cat === 'run');
    expect(run.map((e) => `${e.ph} ${e.name}`)).toEqual(['b all-at-once', 'e all-at-once']);
    expect(Math.abs((run[1]!.ts! - run[0]!.ts!) / 1000 - record.wallMs)).toBeLessThan(1);
    expectWithinAMillisecond(requestRows(events), recordRows(record));
    const flight = events
      .filter((e) => e.name === 'requests in flight')
      .map((e) => Number(e.args?.requests));
    expect(Math.max(...flight)).toBe(record.peakInFlight);
    expect(flight.at(-1)).toBe(0);
  });

  it("the race: a track per thread, and the shared counter ending where the record's count does", async () => {
    const { record, events } = await traced(
      'racy-counter',
      '--strategy threads --workers 2 --increments 200000',
    );
    expect(named(events).filter((n) => /^worker thread/.test(String(n)))).toHaveLength(2);
    const lives = events.filter((e) => e.cat === 'thread');
    expect(lives.filter((e) => e.ph === 'b')).toHaveLength(2);
    expect(lives.filter((e) => e.ph === 'e')).toHaveLength(2);
    const shared = events.filter((e) => e.name === 'shared memory');
    expect(shared.length).toBeGreaterThan(1);
    expect(shared.at(-1)?.args?.cell0).toBe(record.actual);
    // The record's expected and actual, as a counter over the run.
    const race = events.filter((e) => e.ph === 'C' && e.name === 'race');
    expect(race.map((e) => e.args)).toEqual([
      { expected: record.expected },
      { expected: record.expected, actual: record.actual },
    ]);
    const [begin, end] = events.filter((e) => e.cat === 'run');
    expect(race.map((e) => e.ts)).toEqual([begin!.ts, end!.ts]);
  });

  it("the event loop: the heartbeat's delay, and a gap as long as the blocking run", async () => {
    const { record, events } = await traced('event-loop', '--way blocking --seconds 0.3');
    const [begin, end] = events.filter((e) => e.cat === 'run');
    const beats = events.filter((e) => e.name === 'event loop delay').map((e) => e.ts!);
    // The gaps between ticks that overlap the run: the last tick before it to the first after.
    const gaps = beats
      .slice(1)
      .map((t, i) => [beats[i]!, t] as const)
      .filter(([from, to]) => to >= begin!.ts! && from <= end!.ts!)
      .map(([from, to]) => (to - from) / 1000);
    // The job holds the loop for the whole run: no tick comes for most of it.
    expect(Math.max(...gaps)).toBeGreaterThan(record.wallMs * 0.5);
  });

  // Debian's Python, where apt-get install python3-requests python3-aiohttp puts the libraries.
  const python = '/usr/bin/python3';
  if (!existsSync(python) && process.env.CI)
    throw new Error(`${python} is missing: .ci/run installs it`);
  it.skipIf(!existsSync(python))(
    "the I/O family's Python originals: the same format, the same requests as their record",
    async () => {
      const server = await startSitesServer({ latencyMs: 20 });
      try {
        for (const [example, file] of [
          ['sync-download', 'sync_download.py'],
          ['pool-download', 'thread_pool.py'],
          ['async-download', 'async_download.py'],
        ] as const) {
          const folder = join(repoRoot, 'examples', example);
          const trace = join(dir, `${file}.json`);
          let stdout: string;
          try {
            stdout = await run(
              python,
              [
                join('python', file),
                '--server',
                server.origin,
                '--sites',
                '10',
                '--json',
                '--trace',
                trace,
              ],
              folder,
            );
          } catch (error) {
            // A library missing here is said, and skipped; in CI, where .ci/run installs it, it fails.
            if (!/No module named/.test(String(error)) || process.env.CI) throw error;
            console.warn(
              `skipped ${file}: ${String(error)
                .split('\n')
                .find((l) => /No module/.test(l))}`,
            );
            continue;
          }
          const record = JSON.parse(stdout).results[0];
          const events: TraceEvent[] = JSON.parse(readFileSync(trace, 'utf8')).traceEvents;
          expect(named(events)[0]).toBe(`python ${example}`);
          expect(events.filter((e) => e.cat === 'run' && e.ph === 'b').map((e) => e.name)).toEqual([
            record.strategy,
          ]);
          expectWithinAMillisecond(requestRows(events), recordRows(record));
        }
      } finally {
        await server.close();
      }
    },
  );
});
