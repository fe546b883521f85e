import { runMain } from '@lab/download/testing';
import { describe, expect, it } from 'vitest';

const main = new URL('../src/main.ts', import.meta.url);

describe('async-download, timed against the embedded sites server', () => {
  it('downloads the default 80 sites in about one latency', async () => {
    const { code, report } = await runMain(main, ['--json']);
    expect(code).toBe(0);
    const record = report!.results[0]!;
    expect(record).toMatchObject({ strategy: 'all-at-once', items: 80, failed: 0, idealMs: 100 });
    // Generous: the target is 0.8 or better; a shared, noisy machine may do worse.
    expect(record.efficiency).toBeGreaterThan(0.4);
  });
});
