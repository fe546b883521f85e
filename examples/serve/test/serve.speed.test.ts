import { availableParallelism } from 'node:os';
import type { ResultRecord } from '@lab/harness';
import { runMain } from '@lab/harness/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { pythonProblem } from '../src/setup.ts';

// Short runs, and every claim a ratio against the model or against another
// row of the same run, with generous margins: this may be a slow, shared
// 2-core machine.
const main = new URL('../src/main.ts', import.meta.url);
const L = 50;
const cores = availableParallelism();

async function run(args: string[]): Promise<ResultRecord[]> {
  const { code, report, stderr } = await runMain(
    main,
    ['--json', '--latency', String(L), ...args],
    120_000,
  );
  if (code !== 0 || !report) throw new Error(`serve exited ${code}: ${stderr.trim()}`);
  return report.results;
}
interface Row {
  reqPerSec: number;
  modelReqPerSec: number | null;
  modelBound: string;
  vsModel: number;
  probeP99Ms: number;
  loopDelayMaxMs: number;
}
const row = (rows: ResultRecord[], server: string, route: string) => {
  const found = rows.find((r) => r.server === server && r.route === route);
  if (!found) throw new Error(`no row for ${server} ${route}`);
  return found as ResultRecord & Row;
};

describe('every way of handling a request, under load', () => {
  let rows: ResultRecord[] = [];
  beforeAll(async () => {
    // One process only: the cluster's rows are cluster.speed.test.ts's.
    rows = await run(['--connections', '16', '--seconds', '0.5', '--processes', '1']);
  }, 120_000);

  it('runs every route once, on the Node server and on one with libuv cut to one thread', () => {
    expect(rows.map((r) => `${r.server} ${r.route}`)).toEqual([
      'node ping',
      'node wait',
      'node block',
      'node offload',
      'node compute',
      'node compute-offload',
      'node hash',
      'node hash-sync',
      'node (uv 1) hash',
    ]);
    for (const r of rows) expect(r.failed, String(r.strategy)).toBe(0);
  });

  it('prints each row beside its model: C/L waiting, 1/L blocking, W/L on the pool', () => {
    expect(row(rows, 'node', 'wait').modelReqPerSec).toBe((16 * 1000) / L);
    expect(row(rows, 'node', 'block').modelReqPerSec).toBe(1000 / L);
    expect(row(rows, 'node', 'offload').modelReqPerSec).toBe((4 * 1000) / L);
    expect(row(rows, 'node', 'ping').modelReqPerSec).toBeNull();
  });

  it('serves close to the model when waiting, on the pool, and while blocking, never above 1/L', () => {
    for (const route of ['wait', 'block', 'offload']) {
      expect(row(rows, 'node', route).vsModel, route).toBeGreaterThan(0.6);
    }
    expect(row(rows, 'node', 'block').reqPerSec).toBeLessThan((1.3 * 1000) / L);
  });

  it('makes /ping wait about L while the loop blocks, and not while it waits or offloads', () => {
    const blocked = row(rows, 'node', 'block').probeP99Ms;
    expect(blocked).toBeGreaterThanOrEqual(L * 0.8);
    expect(row(rows, 'node', 'wait').probeP99Ms).toBeLessThan(blocked / 3);
    expect(row(rows, 'node', 'offload').probeP99Ms).toBeLessThan(blocked / 3);
    expect(row(rows, 'node', 'block').loopDelayMaxMs).toBeGreaterThanOrEqual(L * 0.8);
  });

  it.skipIf(cores < 2)(
    "computes faster on a pool, and hashes faster with more of libuv's threads",
    () => {
      const rate = (server: string, route: string) => row(rows, server, route).reqPerSec;
      // What the run measured, in the message of any assertion that fails.
      const seen = rows.map((r) => `${r.strategy}: ${r.reqPerSec} req/s`).join('; ');
      expect(rate('node', 'compute-offload'), seen).toBeGreaterThan(1.3 * rate('node', 'compute'));
      expect(rate('node', 'hash'), seen).toBeGreaterThan(1.3 * rate('node (uv 1)', 'hash'));
      for (const [server, route] of [
        ['node', 'hash'],
        ['node (uv 1)', 'hash'],
        ['node', 'compute-offload'],
      ]) {
        const { vsModel, reqPerSec, modelReqPerSec } = row(rows, server!, route!);
        expect(
          vsModel,
          `${server} ${route}: ${reqPerSec} of ${modelReqPerSec} req/s`,
        ).toBeGreaterThan(0.6);
      }
    },
  );
});

const problem = pythonProblem('/usr/bin/python3');

describe('beside FastAPI', () => {
  it.skipIf(problem !== null || cores < 2)(
    `computes on Node's pool, not on FastAPI's threads (GIL); Node's /ping against uvicorn's${problem ? ` (skipped: ${problem})` : ''}`,
    async () => {
      const rows = await run([
        '--with-python',
        '--route',
        'ping,compute,compute-offload',
        '--connections',
        '4',
        '--seconds',
        '0.5',
        '--processes',
        '1',
      ]);
      const gain = (server: string) =>
        row(rows, server, 'compute-offload').reqPerSec / row(rows, server, 'compute').reqPerSec;
      expect(gain('node')).toBeGreaterThan(1.3);
      expect(gain('fastapi')).toBeLessThan(1.3);
      expect(row(rows, 'fastapi', 'compute-offload').modelBound).toMatch(/GIL/);
      // The same load generator against both: Node's Fastify answers more.
      expect(row(rows, 'node', 'ping').reqPerSec).toBeGreaterThan(
        row(rows, 'fastapi', 'ping').reqPerSec,
      );
    },
    120_000,
  );
});
