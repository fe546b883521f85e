import { describe, expect, it } from 'vitest';
import { outcome } from '../src/outcome.ts';
import type { MatrixRecord } from '../src/types.ts';

describe('outcome', () => {
  it("sums up each run's own result in a few words", () => {
    const base = { failed: 0 } as unknown as MatrixRecord;
    expect(outcome({ ...base, lost: 140516, expected: 400000, actual: 259484 })).toBe(
      'lost 140,516 of 400,000',
    );
    expect(outcome({ ...base, lost: 0, expected: 400000, actual: 400000 })).toBe('exact: 400,000');
    expect(outcome({ ...base, ticksMissed: 1, delayP99Ms: 3.1 })).toBe('1 tick missed, p99 3.1 ms');
    expect(outcome({ ...base, peakInFlight: 5, connections: 5 })).toBe(
      'peak 5 in flight, 5 connections',
    );
    expect(outcome({ ...base, exact: false })).toBe('WRONG sums');
    expect(outcome(base)).toBe('');
  });
});
