import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { formatSummary, makeRecord, makeReport } from '../src/index.ts';

describe('records and reports', () => {
  it("computes efficiency as ideal over actual and carries the example's own fields", () => {
    const record = makeRecord('demo', {
      strategy: 'all-at-once',
      items: 80,
      wallMs: 125,
      idealMs: 100,
      peakInFlight: 80,
    });
    expect(record).toMatchObject({
      example: 'demo',
      strategy: 'all-at-once',
      items: 80,
      failed: 0,
      bytes: 0,
      wallMs: 125,
      idealMs: 100,
      efficiency: 0.8,
      speedup: null,
      node: process.version,
      cpus: availableParallelism(),
      peakInFlight: 80,
    });
  });

  it('measures speedups against the named baseline', () => {
    const report = makeReport(
      'demo',
      [
        { strategy: 'sequential', items: 20, wallMs: 2000, idealMs: 2000 },
        { strategy: 'async', items: 20, wallMs: 100, idealMs: 100 },
      ],
      'sequential',
    );
    expect(report.results.map((r) => r.speedup)).toEqual([1, 20]);
    expect(Object.keys(report)).toEqual(['example', 'node', 'cpus', 'results']);
  });

  it('has no efficiency without an ideal model', () => {
    expect(makeRecord('demo', { strategy: 'x', items: 1, wallMs: 5 }).efficiency).toBeNull();
  });

  it('prints a short summary for one strategy and a table for several', () => {
    const one = makeReport('demo', [{ strategy: 'only', items: 3, wallMs: 1500, idealMs: 1200 }]);
    expect(formatSummary(one)).toContain('demo · only');
    expect(formatSummary(one)).toContain('efficiency 0.80');
    const two = makeReport(
      'demo',
      [
        { strategy: 'slow', items: 3, wallMs: 3000 },
        { strategy: 'fast', items: 3, wallMs: 1000 },
      ],
      'slow',
    );
    const table = formatSummary(two, { columns: [{ key: 'items', label: 'n' }] });
    // No strategy has an ideal model here, so the ideal and efficiency columns are left out.
    expect(table).toMatch(/strategy\s+items\s+failed\s+time\s+speedup\s+n/);
    expect(table).toMatch(/fast\s+3\s+0\s+1\.00 s\s+3\.00x\s+3/);
    expect(table).not.toContain('efficiency');
  });
});
