// The two servers the measured tests ask: a slow one, at the latency a file
// is about, and a fast one (10 ms), each recording its requests. Started
// once for the file, closed after it.
import { type SitesServer, startSitesThread } from '@lab/sites';
import { afterAll, beforeAll } from 'vitest';

export interface SlowAndFast {
  slow: SitesServer;
  fast: SitesServer;
}

/** The file's two servers: theirs to read once its tests run (beforeAll has started them). */
export function slowAndFast(slowLatencyMs: number): SlowAndFast {
  const servers = {} as SlowAndFast;
  beforeAll(async () => {
    [servers.slow, servers.fast] = await Promise.all([
      startSitesThread({ latencyMs: slowLatencyMs, recordRequests: true }),
      startSitesThread({ latencyMs: 10, recordRequests: true }),
    ]);
  });
  afterAll(() => Promise.all([servers.slow?.close(), servers.fast?.close()]));
  return servers;
}
