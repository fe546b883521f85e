import { execFileSync } from 'node:child_process';
import type { TraceEvent } from '@lab/harness';
import { describe, expect, it } from 'vitest';
import { named, type Traced, traced, within } from './trace-run.ts';

// The traces of the families that serve: serve (a server under load, its
// seconds counted by the load generator and the probe) and queue (workers
// on Redis), each at its smallest and checked against its own run's record.
// A file of their own, the longest of the trace checks, so they run beside
// the others rather than after them.

const slices = (events: TraceEvent[], cat: string, ph: 'b' | 'e') =>
  events.filter((e) => e.cat === cat && e.ph === ph);

describe('a trace agrees with its own run', () => {
  it("serve: each second's answers, per server and route, adding up to the run's", async () => {
    const { records, events } = await traced(
      'serve',
      '--route wait,block --seconds 1.1 --latency 20 --processes 1',
    );
    expect(records.map((r) => r.route)).toEqual(['wait', 'block']);
    for (const record of records) {
      const series = `${record.server} /${record.route}`;
      const inside = within(events, record.strategy);
      const seconds = inside.filter((e) => e.ph === 'C' && e.name === 'requests per second');
      // Only this run's server and route, a value a second (and the last, as the load stops).
      expect(seconds.length).toBeGreaterThanOrEqual(2);
      for (const e of seconds) expect(Object.keys(e.args ?? {})).toEqual([series]);
      const sum = seconds.reduce((total, e) => total + Number(e.args?.[series]), 0);
      const answered = record.answered as number;
      expect(answered).toBeGreaterThan(0);
      // Within one second's worth of the run's own count.
      expect(Math.abs(sum - answered)).toBeLessThanOrEqual(
        Math.max(1, record.answeredPerSec as number),
      );
      const p99 = inside.filter((e) => e.ph === 'C' && e.name === '/ping p99 (ms)');
      expect(p99.length).toBeGreaterThanOrEqual(1);
      for (const e of p99) expect(Number(e.args?.[series])).toBeGreaterThanOrEqual(0);
      // The load generator is a process of its own, on a track of its own.
      const processes = inside.filter((e) => e.cat === 'process' && e.ph === 'b');
      expect(processes.filter((e) => !e.args?.madeBeforeTheRuns)).toHaveLength(1);
    }
    // The server, a process started before the runs, on its own track from
    // the first run that spoke to it.
    const server = events.filter(
      (e) => e.cat === 'process' && e.ph === 'b' && e.args?.madeBeforeTheRuns,
    );
    expect(server).toHaveLength(1);
  });

  const redis = (() => {
    try {
      execFileSync('redis-server', ['--version'], { stdio: 'ignore', timeout: 10_000 });
      return null;
    } catch {
      return 'redis-server is not installed (apt-get install redis-server)';
    }
  })();
  if (redis && process.env.CI) throw new Error(`CI needs redis-server: ${redis}`);
  it.skipIf(redis !== null)(
    `queue: a track per worker process, the ones its record says did the jobs, and each job a task on it${redis ? ` (skipped: ${redis})` : ''}`,
    async () => {
      const { records, events }: Traced = await traced(
        'queue',
        '--strategy queue-small,queue --seconds 0.2 --tasks 20 --workers 2',
      );
      for (const record of records) {
        const inside = within(events, record.strategy);
        // The workers were started before the clock (in its before): their
        // tracks are named in the trace, their pids are the record's.
        const pids = Object.keys(record.perWorker as object).map((name) => name.split(':').at(-1));
        expect(pids).toHaveLength(record.workers as number);
        const [begin, end] = events.filter((e) => e.cat === 'run' && e.name === record.strategy);
        for (const pid of pids) {
          expect(named(events)).toContain(`child process ${pid}`);
          // Alive for the whole run: started before its clock, ended after it.
          const life = events.filter((e) => e.cat === 'process' && String(e.pid) === pid);
          expect(life.map((e) => e.ph)).toEqual(['b', 'e']);
          expect(life[0]!.ts!).toBeLessThan(begin!.ts!);
          expect(life[1]!.ts!).toBeGreaterThan(end!.ts!);
        }
        expect(inside.filter((e) => e.cat === 'run')).toHaveLength(2);
        // Each job a task on its worker's track, from Redis's own times: as
        // many on each as the record says that worker did.
        const [from, to] = [begin!.ts!, end!.ts!];
        const jobs = slices(events, 'task', 'b').filter(
          (e) => e.name === 'job' && e.ts! >= from - 1000 && e.ts! <= to + 1000,
        );
        const byPid: Record<string, number> = {};
        for (const job of jobs) byPid[String(job.pid)] = (byPid[String(job.pid)] ?? 0) + 1;
        const perWorker = Object.fromEntries(
          Object.entries(record.perWorker as Record<string, number>).map(([name, n]) => [
            name.split(':').at(-1),
            n,
          ]),
        );
        expect(byPid, record.strategy).toEqual(perWorker);
      }
      expect(slices(events, 'process', 'e')).toHaveLength(slices(events, 'process', 'b').length);
    },
  );
});
