import { EventEmitter, once } from 'node:events';
import { within } from '@lab/harness';
import { expect, test } from 'vitest';

// Timers of this process, from Node's own list of what keeps the loop alive.
const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

test('within gives the answer, and leaves no timer behind', async () => {
  const before = timers();
  const answer = await within(60_000, 'answering', async () => 42);
  expect(answer).toBe(42);
  expect(timers()).toBe(before);
});

test('within stops what it times out: its signal aborts, naming what, and its listeners go', async () => {
  const server = new EventEmitter();
  let seen: AbortSignal | null = null;
  const before = timers();
  const waiting = within(50, 'starting the server', (signal) => {
    seen = signal;
    // Waits with Node's own `once`, handed the signal: an abort takes its listener off.
    return once(server, 'ready', { signal }).then(() => 'ready');
  });
  expect(server.listenerCount('ready')).toBe(1);
  await expect(waiting).rejects.toThrow('starting the server took longer than 0.05 s');
  expect((seen as AbortSignal | null)?.aborted).toBe(true);
  expect(String((seen as AbortSignal | null)?.reason)).toContain(
    'starting the server took longer than 0.05 s',
  );
  expect(server.listenerCount('ready')).toBe(0);
  expect(timers()).toBe(before);
});

test('within passes on the failure of what it waits for, and clears its timer', async () => {
  const before = timers();
  await expect(
    within(60_000, 'starting', async () => {
      throw new Error('the server exited (code 1)');
    }),
  ).rejects.toThrow('the server exited (code 1)');
  expect(timers()).toBe(before);
});
