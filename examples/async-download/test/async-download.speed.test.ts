import { mockSites } from '@lab/sites/nock';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
// The sequential sibling, to measure the speedup side by side.
import { downloadAllSites as downloadOneByOne } from '../../sync-download/src/sync-download.ts';
import { downloadAllSites } from '../src/async-download.ts';

describe('async-download, timed', () => {
  it('is at least 5x faster than one site after another (20 sites at 50 ms)', async () => {
    let sites = mockSites(20, { latencyMs: 50 });
    const urls = () => Array.from({ length: 20 }, (_, n) => sites.siteUrl(n));
    const one = new Agent({ connections: 1 });
    let start = performance.now();
    await downloadOneByOne(urls(), one);
    const sequentialMs = performance.now() - start;
    sites.done();
    sites = mockSites(20, { latencyMs: 50 });
    const all = new Agent({ connections: 100 });
    start = performance.now();
    await downloadAllSites(urls(), all);
    const allAtOnceMs = performance.now() - start;
    sites.done();
    await Promise.all([one.close(), all.close()]);
    expect(sequentialMs / allAtOnceMs).toBeGreaterThanOrEqual(5);
  });
});
