import { runMain } from '@lab/download/testing';
import { describe, expect, it } from 'vitest';

const main = new URL('../src/main.ts', import.meta.url);

describe('sync-download, timed against the embedded sites server', () => {
  it('opens a new connection for every site with --no-keepalive, and pays the handshake each time', async () => {
    const args = ['--sites', '8', '--latency', '10', '--handshake', '40', '--json'];
    const kept = await runMain(main, args);
    const fresh = await runMain(main, [...args, '--no-keepalive']);
    expect(kept.report?.results[0]).toMatchObject({ connections: 1, failed: 0 });
    expect(fresh.report?.results[0]).toMatchObject({
      strategy: 'sequential-no-keepalive',
      connections: 8,
      failed: 0,
    });
    // 8 handshakes instead of 1: about 7 x 40 ms more, measured side by side.
    expect(fresh.report!.results[0]!.wallMs - kept.report!.results[0]!.wallMs).toBeGreaterThan(150);
  });
});
