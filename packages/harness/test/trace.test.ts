import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain } from '@lab/harness/testing';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { observeAll, observeRequests, Trace, type TraceEvent } from '../src/index.ts';

const demo = new URL('./fixtures/example.ts', import.meta.url);

describe('--trace FILE', () => {
  it('writes the runs as slices, the record beside them, with the tracks named', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'trace-')), 'run.json');
    const { code, report, stderr } = await runMain(demo, [
      '--ways',
      '2',
      '--json',
      '--trace',
      file,
    ]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/^trace: \d+ events in .*run\.json/);
    const trace = JSON.parse(readFileSync(file, 'utf8'));
    expect(trace.displayTimeUnit).toBe('ms');
    const events: TraceEvent[] = trace.traceEvents;
    expect(events.filter((e) => e.ph === 'M').map((e) => e.args?.name)).toEqual([
      'demo',
      'main thread',
    ]);
    const runs = events.filter((e) => e.cat === 'run');
    expect(runs.map((e) => `${e.ph} ${e.name}`)).toEqual([
      'b way-1',
      'e way-1',
      'b way-2',
      'e way-2',
    ]);
    // Each run's slice lasts what its record says, within a millisecond.
    for (const record of report?.results ?? []) {
      const [b, e] = runs.filter((r) => r.name === record.strategy);
      expect(Math.abs(((e?.ts ?? 0) - (b?.ts ?? 0)) / 1000 - record.wallMs)).toBeLessThan(1);
    }
    const records = events.filter((e) => e.name === 'record').map((e) => e.args?.strategy);
    expect(records).toEqual(['way-1', 'way-2']);
  });

  it('refuses a folder, or a path in no folder, in one line with exit 2', async () => {
    for (const path of [tmpdir(), '/no/such/folder/run.json']) {
      const { code, stderr } = await runMain(demo, ['--trace', path]);
      expect(code).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(/^demo: --trace/);
    }
  });
});

describe('--help --json', () => {
  it('prints the option spec as data: flags, kinds, defaults and bounds', async () => {
    const { code, stdout } = await runMain(demo, ['--help', '--json']);
    expect(code).toBe(0);
    const spec = JSON.parse(stdout);
    expect(spec.usage).toMatch(/^Usage: pnpm --filter demo start/);
    expect(spec.options).toContainEqual(
      expect.objectContaining({
        key: 'ways',
        flag: '--ways',
        kind: 'int',
        default: 2,
        min: 1,
        max: 5,
      }),
    );
    expect(spec.options).toContainEqual(expect.objectContaining({ key: 'trace', kind: 'path' }));
  });
});

describe('observing requests', () => {
  it('draws each request as an async slice with its phases, and counts those in flight', async () => {
    const server = createServer((_req, res) => setTimeout(() => res.end('hello'), 20));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const trace = new Trace();
    const stop = observeRequests(trace);
    try {
      await Promise.all(
        [1, 2, 3].map(async (n) => {
          const answer = await request(`http://127.0.0.1:${port}/site/${n}`);
          await answer.body.text();
        }),
      );
    } finally {
      stop();
      server.close();
    }
    const slices = trace.events.filter((e) => e.cat === 'request');
    const ids = new Set(slices.map((e) => e.id));
    expect(ids.size).toBe(3);
    for (const id of ids) {
      const mine = slices.filter((e) => e.id === id);
      // Opened and closed in pairs, and a request's phases in their order.
      expect(mine.filter((e) => e.ph === 'b').length).toBe(mine.filter((e) => e.ph === 'e').length);
      const phases = mine.filter((e) => e.ph === 'b').map((e) => e.name);
      expect(phases[0]).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/site\/\d$/);
      expect(phases.slice(1).filter((p) => p !== 'connecting')).toEqual([
        'queued',
        'waiting',
        'body',
      ]);
    }
    const flight = trace.events.filter((e) => e.name === 'requests in flight');
    expect(Math.max(...flight.map((e) => Number(e.args?.requests)))).toBe(3);
    expect(flight.at(-1)?.args?.requests).toBe(0);
  });

  it('names the process and its main thread, and stops every observer', () => {
    const trace = new Trace();
    const stop = observeAll(trace, 'demo');
    stop();
    expect(trace.events.filter((e) => e.ph === 'M').map((e) => e.args?.name)).toEqual([
      'demo',
      'main thread',
    ]);
    // The heartbeat's first and last beats, and nothing after the stop.
    const beats = trace.events.filter((e) => e.name === 'event loop delay');
    expect(beats.length).toBeGreaterThanOrEqual(2);
  });
});
