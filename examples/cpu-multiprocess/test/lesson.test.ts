import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

const lesson = new URL('../src/cpu-multiprocess.ts', import.meta.url).pathname;

test('the lesson file runs alone: each way at the notes size, with its time, all exact', async () => {
  // process.execPath is the pinned Node 24 here, which runs the .ts as it is.
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [lesson], {
    timeout: 60_000,
  });
  expect(stderr).toBe('');
  const lines = stdout.trim().split('\n');
  expect(lines).toHaveLength(4);
  for (const [i, name] of ['sequential', 'async', 'threads', 'processes'].entries()) {
    expect(lines[i]).toMatch(
      new RegExp(`^cpu-multiprocess · ${name}: 20 items in \\d+\\.\\d\\d s, 0 failed$`),
    );
  }
});
