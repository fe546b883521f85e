import { runMain } from '@lab/harness/testing';
import { describe, expect, it } from 'vitest';
import { clients, measureThroughput } from '../src/throughput.ts';

const main = new URL('../src/throughput.ts', import.meta.url);

describe('throughput', () => {
  it('measures every strategy and the loopback bound against one server, in requests per second', async () => {
    const records = await measureThroughput({
      sites: 400,
      wrkSeconds: 1,
      rounds: 2,
      clients: clients().filter((c) => c.language === 'node'),
    });
    const node = records.filter((r) => r.language === 'node');
    expect(node.map((r) => r.strategy)).toEqual(['sequential', 'pool-tasks', 'all-at-once']);
    for (const r of records) {
      // Each row is one real round (the median's), inside the range of its rounds.
      expect(r.reqPerSec).toBeCloseTo(r.items / (r.wallMs / 1000), -1);
      expect(r.range[0]).toBeLessThanOrEqual(r.reqPerSec);
      expect(r.reqPerSec).toBeLessThanOrEqual(r.range[1]);
    }
    for (const r of node) expect(r.items).toBe(400);
    const wrk = records.find((r) => r.language === 'wrk');
    // The loopback bound is a bound: no client here beats wrk against the same server.
    if (wrk) for (const r of node) expect(r.reqPerSec).toBeLessThan(wrk.reqPerSec);
  });

  it('rejects bad input with one line and exit code 2', async () => {
    for (const args of [['--sites', '0'], ['--sites', 'x'], ['--rounds', '0'], ['--wat']]) {
      const { code, stderr } = await runMain(main, args);
      expect(code).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(/^throughput: /);
    }
  });
});
