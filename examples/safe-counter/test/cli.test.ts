import { runMain } from '@lab/harness/testing';
import { describe, expect, it } from 'vitest';

const main = new URL('../src/main.ts', import.meta.url);
const run = (args: string[]) => runMain(main, args);

describe('safe-counter on the command line', () => {
  it('prints each fix with lost 0 and its throughput beside the racy version', async () => {
    const { code, stdout } = await run(['--json', '--increments', '20000']);
    expect(code).toBe(0);
    const { results } = JSON.parse(stdout);
    const byName = Object.fromEntries(results.map((r: { strategy: string }) => [r.strategy, r]));
    for (const fix of ['atomics', 'lock', 'message-passing', 'async-mutex']) {
      expect(byName[fix]).toMatchObject({ expected: 80_000, actual: 80_000, lost: 0 });
      expect(byName[fix].opsPerSec).toBeGreaterThan(0);
      expect(byName[fix].vsRacy).toBeGreaterThan(0);
    }
    expect(byName['racy-threads'].opsPerSec).toBeGreaterThan(0);
    expect(byName['racy-async']).toMatchObject({ actual: 20_000 });
  });

  it('rejects bad input with one line and exit code 2', async () => {
    const { code, stderr } = await run(['--fix', 'prayer']);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});
