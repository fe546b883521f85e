import { describe, expect, it } from 'vitest';
import { cells } from '../src/cells.ts';
import { inFlightChart, tailChart } from '../src/charts.ts';
import type { MatrixRecord } from '../src/types.ts';

/** One of timeouts-and-cancellation's records, as the matrix keeps it. */
const row = (strategy: string, fields: Record<string, unknown>): MatrixRecord =>
  ({
    example: 'timeouts-and-cancellation',
    strategy,
    items: 20,
    failed: 0,
    bytes: 0,
    wallMs: 300,
    idealMs: null,
    efficiency: null,
    speedup: null,
    node: 'v24.21.0',
    cpus: 2,
    workload: 'timeouts',
    language: strategy.startsWith('asyncio') ? 'python' : 'node',
    repeats: 1,
    spread: { minMs: 300, maxMs: 300 },
    ...fields,
  }) as MatrixRecord;

// 20 requests; the race's line stays at 20 until the answers at 300 ms, the signal's falls at 103 ms.
const race = row('race-timeout', {
  deadlineMs: 100,
  graceMs: 20,
  inFlightAfter: 20,
  inFlightSeries: [
    [0, 0],
    [1, 20],
    [300, 10],
    [305, 0],
  ],
});
const signal = row('signal-timeout', {
  deadlineMs: 100,
  graceMs: 20,
  inFlightAfter: 0,
  inFlightSeries: [
    [0, 0],
    [1, 20],
    [103, 0],
  ],
});
const hedge = row('hedge', {
  slowLatencyMs: 300,
  plainMs: Array.from({ length: 10 }, (_, i) => (i % 2 ? 300 : 20)),
  hedgedMs: Array.from({ length: 10 }, () => 25),
});

describe('the timeouts charts', () => {
  it('draws one in-flight line per timeout, each with what was left in flight after the deadline', () => {
    const svg = inFlightChart([race, signal, hedge]);
    expect(svg.match(/<g class="line"/g)).toHaveLength(2);
    expect(svg).toContain('data-strategy="race-timeout"');
    expect(svg).toMatch(/data-strategy="race-timeout"[^>]*data-in-flight-after="20"/);
    expect(svg).toMatch(/data-strategy="signal-timeout"[^>]*data-in-flight-after="0"/);
    expect(svg).toContain('deadline 100.0 ms');
  });

  it('draws the hedged tail against one server each, with both p99s', () => {
    const svg = tailChart([race, hedge]);
    expect(svg).toMatch(/data-way="one server each" data-p99="300"/);
    expect(svg).toMatch(/data-way="hedged" data-p99="25"/);
    expect(svg).toContain("the slow server's latency, 300.0 ms");
  });

  it('draws nothing from records without the fields', () => {
    expect(inFlightChart([hedge])).toBe('');
    expect(tailChart([race])).toBe('');
  });
});

it('runs the timeouts group in the matrix, with asyncio only when Python is wanted', () => {
  const [plain] = cells({ quick: true, withPython: false }).filter(
    (c) => c.workload === 'timeouts',
  );
  const [withPython] = cells({ quick: false, withPython: true }).filter(
    (c) => c.workload === 'timeouts',
  );
  expect(plain?.args).toEqual([
    '--latency-ms',
    '200',
    '--deadline-ms',
    '50',
    '--requests',
    '20',
    '--python',
    'off',
  ]);
  expect(withPython?.args).toEqual(['--python', 'auto']);
});
