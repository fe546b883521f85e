import { mockSites } from '@lab/sites/nock';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { downloadAllSites } from '../src/sync-download.ts';

describe('sync-download, timed', () => {
  it('takes at least N x latency, because each site waits for the one before', async () => {
    const sites = mockSites(10, { latencyMs: 50 });
    const session = new Agent({ connections: 1 });
    const urls = Array.from({ length: 10 }, (_, n) => sites.siteUrl(n));
    const start = performance.now();
    await downloadAllSites(urls, session);
    expect(performance.now() - start).toBeGreaterThanOrEqual(10 * 50 * 0.95);
    sites.done();
    await session.close();
  });
});
