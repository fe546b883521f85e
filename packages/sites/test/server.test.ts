import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import {
  faultFor,
  faultSharesProblem,
  NO_FAULTS,
  NOTES_SITES,
  type SitesServer,
  sitesOf,
  startSitesServer,
  startSitesThread,
  TRICKLE_INTERVAL_MS,
  WARM_UP_PATH,
} from '../src/index.ts';

let server: SitesServer | undefined;
let agent: Agent | undefined;
afterEach(async () => {
  await agent?.close();
  await server?.close();
  agent = server = undefined;
});

async function get(url: string, timeoutMs = 5_000) {
  const start = performance.now();
  try {
    const { statusCode, body } = await request(url, {
      dispatcher: agent,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const bytes = (await body.arrayBuffer()).byteLength;
    return { statusCode, bytes, ms: performance.now() - start };
  } catch (error) {
    const code = (error as { code?: string }).code;
    // A reset reaches undici as ECONNRESET or as "other side closed", depending on timing.
    const kind = code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' ? 'reset' : code;
    return { error: kind, ms: performance.now() - start };
  }
}

describe('the sites server', () => {
  it('listens on 127.0.0.1 only, on a port the OS picked', async () => {
    server = await startSitesServer({ latencyMs: 0 });
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.port).toBeGreaterThan(0);
  });

  it('serves /site/<n> with the configured size after the configured latency', async () => {
    server = await startSitesServer({ latencyMs: 150, bytes: 1234 });
    const result = await get(server.siteUrl(7));
    expect(result).toMatchObject({ statusCode: 200, bytes: 1234 });
    expect(result.ms).toBeGreaterThanOrEqual(145);
    expect(await server.hits()).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('answers /warm-up with a site body at once, counted nowhere', async () => {
    server = await startSitesServer({
      latencyMs: 300,
      bytes: 2345,
      faults: { ...NO_FAULTS, error: 1 },
    });
    const result = await get(`${server.origin}${WARM_UP_PATH}`);
    expect(result).toMatchObject({ statusCode: 200, bytes: 2345 });
    // No latency, no fault: a client warms up on the run's path, not its wait.
    expect(result.ms).toBeLessThan(250);
    expect(await server.stats()).toMatchObject({ requests: 0, peakInFlight: 0 });
  });

  it('answers 404 for anything else', async () => {
    server = await startSitesServer({ latencyMs: 0 });
    expect(await get(`${server.origin}/nope`)).toMatchObject({ statusCode: 404 });
  });

  it('counts requests and the peak in flight at once', async () => {
    server = await startSitesServer({ latencyMs: 200 });
    agent = new Agent({ connections: 10 });
    await Promise.all(Array.from({ length: 6 }, (_, n) => get(server!.siteUrl(n))));
    expect(await server.stats()).toMatchObject({ requests: 6, peakInFlight: 6, inFlight: 0 });
    await Promise.all(Array.from({ length: 4 }, (_, n) => get(server!.siteUrl(n))));
    // The peak is a high-water mark: a smaller burst later does not lower it.
    expect(await server.stats()).toMatchObject({ requests: 10, peakInFlight: 6 });
    await server.resetStats();
    expect(await server.stats()).toMatchObject({ requests: 0, peakInFlight: 0 });
  });

  it('delays only the first response on each new connection by the handshake', async () => {
    server = await startSitesServer({ latencyMs: 0, handshakeMs: 200 });
    agent = new Agent({ connections: 1 });
    const first = await get(server.siteUrl(0));
    const second = await get(server.siteUrl(1));
    expect(first.ms).toBeGreaterThanOrEqual(195);
    expect(second.ms).toBeLessThan(150);
    expect((await server.stats()).connections).toBe(1);
  });

  it('injects each kind of fault at the sites faultFor names', async () => {
    const faults = { error: 0.2, reset: 0.2, stall: 0.2 };
    server = await startSitesServer({ latencyMs: 10, faults });
    agent = new Agent({ connections: 20 });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, n) => get(server!.siteUrl(n), 500)),
    );
    const seen = results.map((r) =>
      'statusCode' in r ? (r.statusCode === 500 ? 'error' : null) : r.error,
    );
    const expected = Array.from({ length: 20 }, (_, n) => {
      const fault = faultFor(n, faults);
      return fault === 'stall' ? 'UND_ERR_HEADERS_TIMEOUT' : fault;
    });
    expect(seen).toEqual(expected);
    // Each kind really occurs: roughly a fifth of the sites each.
    for (const kind of ['error', 'reset', 'UND_ERR_HEADERS_TIMEOUT']) {
      expect(seen.filter((s) => s === kind).length).toBeGreaterThanOrEqual(3);
    }
    const stats = await server.stats();
    expect(stats.faults.error + stats.faults.reset + stats.faults.stall).toBe(
      expected.filter(Boolean).length,
    );
  });

  it('runs the same way on a thread of its own', async () => {
    server = await startSitesThread({ latencyMs: 100, bytes: 99 });
    agent = new Agent({ connections: 5 });
    const results = await Promise.all(Array.from({ length: 5 }, (_, n) => get(server!.siteUrl(n))));
    expect(results.every((r) => 'bytes' in r && r.bytes === 99)).toBe(true);
    expect(await server.stats()).toMatchObject({ requests: 5, peakInFlight: 5 });
  });

  it('trickles: headers at once, then the body a byte at a time', async () => {
    server = await startSitesServer({
      latencyMs: 0,
      bytes: 5,
      faults: { error: 0, reset: 0, stall: 0, trickle: 1 },
    });
    const result = await get(server.siteUrl(0));
    expect(result).toMatchObject({ statusCode: 200, bytes: 5 });
    // Five bytes, one every TRICKLE_INTERVAL_MS.
    expect(result.ms).toBeGreaterThanOrEqual(5 * TRICKLE_INTERVAL_MS * 0.9);
    expect((await server.stats()).faults.trickle).toBe(1);
  });

  it('out of descriptors in a shared process: stops listening, its clients fail at once, then listens again', async () => {
    // The server on its thread and a client in one process under `ulimit -n
    // 150`, as `ulimit -n 150; pnpm --filter async-download start -- --sites
    // 2000 --latency 0` runs them: the fixture prints one JSON line.
    const fixture = new URL('./fixtures/out-of-descriptors.ts', import.meta.url).pathname;
    const child = spawn('sh', ['-c', `ulimit -n 150; exec '${process.execPath}' '${fixture}' 400`]);
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    const run = JSON.parse(stdout);
    // Every site ends, none waits for its 5 s timeout: what could not be
    // served failed at once, each with a reason.
    const reasons = run.reasons as Record<string, number>;
    expect(Object.values(reasons).reduce((a, b) => a + b, 0)).toBe(400);
    expect(reasons.timeout ?? 0).toBe(0);
    expect(run.allAtOnceMs).toBeLessThan(2_000);
    // Out of descriptors, the server noticed and said why...
    expect(run).toMatchObject({ acceptError: 'EMFILE' });
    expect(run.acceptErrors).toBeGreaterThanOrEqual(1);
    // ...and, descriptors free again, answers on the same port; its close is prompt.
    expect(run.afterwards).toBe(200);
    expect(run.closeMs).toBeLessThan(1_000);
  });

  it("lists the notes' 80 sites, as every download lesson shares them", () => {
    const sites = sitesOf({ siteUrl: (n) => `http://127.0.0.1:9/site/${n}` });
    expect(sites).toHaveLength(NOTES_SITES);
    expect(NOTES_SITES).toBe(80);
    expect(sites[79]).toBe('http://127.0.0.1:9/site/79');
  });

  it('rejects fault shares that add up to more than every site, in one place', () => {
    expect(faultSharesProblem({ error: 0.5, reset: 0.3, stall: 0.2, trickle: 0 })).toBeNull();
    expect(faultSharesProblem({ error: 0.5, reset: 0.3, stall: 0.2, trickle: 0.1 })).toBe(
      'the fault shares add up to 1.1, more than 1',
    );
  });
});
