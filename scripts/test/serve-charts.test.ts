import { describe, expect, it } from 'vitest';
import { cells } from '../src/cells.ts';
import { probeChart, serveChart } from '../src/charts.ts';
import type { MatrixRecord } from '../src/types.ts';

/** One of serve's rows: a route of one server at C connections. */
const row = (
  server: string,
  route: string,
  connections: number,
  reqPerSec: number,
  modelReqPerSec: number | null,
  probeP99Ms: number,
): MatrixRecord =>
  ({
    example: 'serve',
    strategy: `${server} ${route} c=${connections}`,
    items: 100,
    failed: 0,
    bytes: 0,
    wallMs: 2000,
    idealMs: null,
    efficiency: null,
    speedup: null,
    node: 'v24.21.0',
    cpus: 2,
    workload: 'serve',
    language: server === 'fastapi' ? 'python' : 'node',
    repeats: 1,
    spread: { minMs: 2000, maxMs: 2000 },
    server,
    route,
    connections,
    reqPerSec,
    modelReqPerSec,
    probeP99Ms,
  }) as MatrixRecord;

const records = [
  row('node', 'wait', 10, 98, 100, 3),
  row('node', 'wait', 200, 1900, 2000, 6),
  row('node', 'block', 10, 9.8, 10, 110),
  row('node', 'block', 200, 9.7, 10, 1900),
  row('fastapi', 'wait', 10, 97, 100, 4),
  row('fastapi', 'wait', 200, 1400, 2000, 9),
];

describe("serve's charts in the report", () => {
  it('draws the servers on several processes beside one, each in a colour of its own', () => {
    const many = [
      ...records,
      row('node x2', 'block', 10, 19.5, 20, 110),
      row('fastapi x2', 'block', 10, 15, 20, 50),
    ];
    const chart = serveChart(many);
    const colourOf = (server: string) =>
      new RegExp(`<text class="(server-\\d)"[^>]*>${server}: measured`).exec(chart)?.[1];
    expect(['node', 'node x2', 'fastapi', 'fastapi x2'].map(colourOf)).toEqual([
      'server-0',
      'server-3',
      'server-2',
      'server-4',
    ]);
  });

  it('draws req/s against connections per route, a line per server and its model dashed', () => {
    const chart = serveChart(records);
    expect(chart.match(/<g class="panel"/g)).toHaveLength(2);
    expect(chart).toContain('data-route="wait"');
    // One measured line per server and route, and its model beside it.
    expect(chart.match(/class="measured /g)).toHaveLength(3);
    expect(chart.match(/<path class="model /g)).toHaveLength(3);
    expect(chart.match(/<line class="model /g)).toHaveLength(records.length);
    expect(chart.match(/<circle /g)).toHaveLength(records.length);
    expect(chart).toContain('data-value="1900"');
  });

  it("draws /ping's p99 per route at the most connections run", () => {
    const chart = probeChart(records);
    expect(chart.match(/<g class="bar"/g)).toHaveLength(3);
    expect(chart).toContain('data-value="1900"');
    expect(chart).not.toContain('data-value="110"'); // 10 connections: not the most
  });

  it('draws nothing for records that are not serve rows', () => {
    const other = { ...records[0]!, route: undefined, workload: 'io' } as unknown as MatrixRecord;
    expect(serveChart([other])).toBe('');
    expect(probeChart([other])).toBe('');
  });
});

describe("the matrix's serve group", () => {
  it('runs serve once, beside FastAPI when Python is wanted', () => {
    const [full] = cells({ quick: false, withPython: true }).filter((c) => c.workload === 'serve');
    expect(full?.once).toBe(true);
    expect(full?.args).toEqual(['--sweep', '--seconds', '1', '--with-python']);
    const [quick] = cells({ quick: true, withPython: false }).filter((c) => c.workload === 'serve');
    expect(quick?.args).not.toContain('--with-python');
    expect(quick?.args).toContain('--seconds');
  });
});
