import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { faultFor } from '../src/index.ts';
import { type MockedSites, mockSites } from '../src/nock.ts';

let sites: MockedSites | undefined;
let agent: Agent | undefined;
afterEach(async () => {
  await agent?.destroy();
  sites?.done();
  agent = sites = undefined;
});

async function get(url: string) {
  const start = performance.now();
  try {
    const { statusCode, body } = await request(url, {
      dispatcher: agent,
      signal: AbortSignal.timeout(1000),
    });
    const bytes = (await body.arrayBuffer()).byteLength;
    return { statusCode, bytes, ms: performance.now() - start };
  } catch (error) {
    const e = error as { code?: string; name?: string };
    return { error: e.name === 'TimeoutError' ? e.name : e.code, ms: performance.now() - start };
  }
}

describe('the nock twin of the sites server', () => {
  it("answers every mocked site once, with its size, after nock's delay", async () => {
    sites = mockSites(3, { latencyMs: 120, bytes: 500 });
    agent = new Agent({ connections: 3 });
    const results = await Promise.all([0, 1, 2].map((n) => get(sites!.siteUrl(n))));
    for (const result of results) {
      expect(result).toMatchObject({ statusCode: 200, bytes: 500 });
      expect(result.ms).toBeGreaterThanOrEqual(115);
    }
    expect([0, 1, 2].map((n) => sites!.hits(n))).toEqual([1, 1, 1]);
    expect(sites.peakInFlight()).toBe(3);
  });

  it("counts a bounded client's peak in flight", async () => {
    sites = mockSites(6, { latencyMs: 50 });
    agent = new Agent({ connections: 2 });
    await Promise.all([0, 1, 2, 3, 4, 5].map((n) => get(sites!.siteUrl(n))));
    expect(sites.requests()).toBe(6);
    expect(sites.peakInFlight()).toBe(2);
  });

  it('fails the same sites in the same ways as the real server', async () => {
    const faults = { error: 0.25, reset: 0.25, stall: 0.25 };
    sites = mockSites(12, { latencyMs: 10, faults });
    agent = new Agent({ connections: 12 });
    const results = await Promise.all(Array.from({ length: 12 }, (_, n) => get(sites!.siteUrl(n))));
    results.forEach((result, n) => {
      const fault = faultFor(n, faults);
      if (fault === 'error') expect(result).toMatchObject({ statusCode: 500 });
      else if (fault === 'reset') expect(result).toMatchObject({ error: 'ECONNRESET' });
      else if (fault === 'stall') expect(result).toMatchObject({ error: 'TimeoutError' });
      else expect(result).toMatchObject({ statusCode: 200 });
    });
  });
});
