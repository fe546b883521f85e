import { poolIdeal } from '@lab/harness';
import { mockSites } from '@lab/sites/nock';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { downloadAllSites as withTasks } from '../src/pool-download.ts';

describe('pool-download as tasks, timed', () => {
  it('takes at least ceil(N / C) x latency', async () => {
    const sites = mockSites(23, { latencyMs: 50 });
    const urls = Array.from({ length: 23 }, (_, n) => sites.siteUrl(n));
    const session = new Agent({ connections: 5 });
    const start = performance.now();
    await withTasks(urls, session, 5);
    const elapsed = performance.now() - start;
    await session.close();
    sites.done();
    expect(elapsed).toBeGreaterThanOrEqual(poolIdeal(23, 5, 50) * 0.95);
  });
});
