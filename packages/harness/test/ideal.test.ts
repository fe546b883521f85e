import { describe, expect, it } from 'vitest';
import { cpuIdeal, efficiency, poolIdeal, sequentialIdeal, unboundedIdeal } from '../src/index.ts';

describe('ideal-time models', () => {
  it('sequential is N x L', () => {
    expect(sequentialIdeal(80, 100)).toBe(8000);
  });
  it('a bounded pool goes in ceil(N / c) waves', () => {
    expect(poolIdeal(80, 5, 100)).toBe(1600);
    expect(poolIdeal(81, 5, 100)).toBe(1700);
    expect(poolIdeal(3, 5, 100)).toBe(100);
  });
  it('unbounded is about one latency', () => {
    expect(unboundedIdeal(100)).toBe(100);
  });
  it('CPU work divides by the smaller of workers and cores', () => {
    expect(cpuIdeal(2000, 4, 2)).toBe(1000);
    expect(cpuIdeal(2000, 1, 2)).toBe(2000);
  });
  it('efficiency is ideal over actual, null without a model', () => {
    expect(efficiency(100, 125)).toBe(0.8);
    expect(efficiency(null, 125)).toBeNull();
    expect(efficiency(0, 125)).toBeNull();
  });
});
