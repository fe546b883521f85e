import { describe, expect, it } from 'vitest';
import { checkMatrix } from '../src/types.ts';

describe('checkMatrix', () => {
  it('names what is wrong with a malformed matrix', () => {
    expect(checkMatrix({ machine: {}, results: [] })).toContain('results is empty');
    const bad = {
      machine: { cpuModel: 'x', cpus: 2, memoryGb: 1, os: 'y', node: 'v24' },
      results: [
        {
          example: 'e',
          strategy: 's',
          workload: 'io',
          items: 1,
          failed: 0,
          wallMs: 5,
          repeats: 1,
          idealMs: 'no',
          efficiency: null,
          speedup: null,
          spread: { minMs: 6, maxMs: 7 },
        },
      ],
    };
    expect(checkMatrix(bad)).toEqual([
      'results[0].idealMs is not a number or null',
      'results[0].spread does not hold its median',
    ]);
  });
});
