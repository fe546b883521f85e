// Heartbeats beside a real key derivation: counted in real time, so alone.
import { describe, expect, it } from 'vitest';
import { deriveKeyBlocking, deriveKeyOffloaded } from '../src/awaitables.ts';
import { heartbeatsDuring } from '../src/tour.ts';

describe('run_in_executor', () => {
  it('keeps the loop ticking when the blocking call runs on the thread pool', async () => {
    const blocked = await heartbeatsDuring(deriveKeyBlocking);
    const offloaded = await heartbeatsDuring(deriveKeyOffloaded);
    // Measured here: 0 or 1 heartbeat while blocked, 30 or more offloaded.
    expect(offloaded).toBeGreaterThan(blocked + 3);
  });
});
