import { describe, expect, it } from 'vitest';
import { benchServers } from '../src/bench.ts';

describe('the sites server, timed', () => {
  it('costs little more than a minimal node:http server (the same client, the same run)', async () => {
    // Five rounds in turns, the best of each: the suite runs other test files
    // beside this one, and a round they slow is a round the best leaves out
    // (alone: 1.00-1.21 of minimal over three runs; once, in the suite with
    // three rounds, 0.75).
    const bench = await benchServers(1000, 5);
    // The bar: at least 0.8 of the minimal server's rate, the same client in the same run.
    expect(bench.ratio).toBeGreaterThanOrEqual(0.8);
  });
});
