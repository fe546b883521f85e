import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { type MemberKind, measureBareStartup, startPool } from '../src/index.ts';

const square = new URL('./fixtures/square-member.ts', import.meta.url);
const diesAtStart = new URL('./fixtures/dies-at-start.ts', import.meta.url);
type Answer = { square: number; thread: boolean; data: unknown };

// Threads of this process, from /proc: a pool must leave none behind.
const threadCount = () => readdirSync('/proc/self/task').length;
// Child processes of this process, from /proc.
const childCount = (): number =>
  readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid;
      } catch {
        return false;
      }
    }).length;

// Node's own threads come and go a little (the GC, the inspector); a pool's members are what must not stay.
async function settled<T>(count: () => T, expected: T) {
  for (let i = 0; i < 50 && count() !== expected; i++) await new Promise((r) => setTimeout(r, 20));
  return count();
}

describe.each<MemberKind>(['thread', 'process'])('a pool of %s members', (kind) => {
  test('answers every task once, in order, from the kind of member it asked for', async () => {
    const before = kind === 'thread' ? threadCount() : 0;
    await using pool = await startPool<number, Answer>({
      kind,
      file: square,
      size: 2,
      workerData: { tag: 'x' },
    });
    expect(pool.startupMs).toBeGreaterThan(0);
    const tasks = Array.from({ length: 20 }, (_, i) => 2 * i); // even: none of them fails
    const run = await pool.map(tasks);
    expect(run.results.map((r) => r.square)).toEqual(tasks.map((n) => n * n));
    expect(run.results.every((r) => r.thread === (kind === 'thread'))).toBe(true);
    expect(run.results[0]?.data).toEqual({ tag: 'x' });
    expect(run.perMember.reduce((a, b) => a + b)).toBe(20);
    expect(run.perMember).toHaveLength(2);
    // A warm pool runs a second batch without starting anyone again.
    const again = await pool.map([7]);
    expect(again.results[0]?.square).toBe(49);
    await pool.close();
    if (kind === 'thread') expect(await settled(threadCount, before)).toBeLessThanOrEqual(before);
    else expect(await settled(childCount, 0)).toBe(0);
  });

  test('names a task that throws, and ends every member', async () => {
    const pool = await startPool<number, Answer>({ kind, file: square, size: 2 });
    await expect(pool.map([1, 2, -5, 4, 99])).rejects.toThrow('task 2 failed: negative: -5');
    await pool.close();
    if (kind === 'process') expect(await settled(childCount, 0)).toBe(0);
  });

  test('names the task whose member died, and how', async () => {
    const pool = await startPool<number, Answer>({ kind, file: square, size: 2 });
    await expect(pool.map([1, 13, 99])).rejects.toThrow(
      `task 1 failed: its ${kind} died (exit code 3)`,
    );
    await pool.close();
    if (kind === 'process') expect(await settled(childCount, 0)).toBe(0);
  });

  test('with a fallback, a dead member fails only its own task', async () => {
    const pool = await startPool<number, Answer | string>({ kind, file: square, size: 2 });
    const run = await pool.map([1, 13, 2, 3, 4], {
      fallback: (n, why) => `${n}: ${why}`,
    });
    expect(run.results).toHaveLength(5);
    expect(run.results[1]).toBe(`13: ${kind} died (exit code 3)`);
    expect(run.results.filter((r) => typeof r === 'object')).toHaveLength(4);
    await pool.close();
  });

  test('a member that dies while starting rejects the start, naming it', async () => {
    await expect(startPool({ kind, file: diesAtStart, size: 2 })).rejects.toThrow(
      new RegExp(`${kind} \\d died while starting \\(threw: broken on purpose\\)`),
    );
    if (kind === 'process') expect(await settled(childCount, 0)).toBe(0);
  });

  test('an abort ends every member, even one stuck in a task', async () => {
    const controller = new AbortController();
    const pool = await startPool<number, Answer | string>({
      kind,
      file: square,
      size: 2,
      signal: controller.signal,
    });
    const running = pool.map([99, 99, 1, 2], {
      fallback: (n, why, cancelled) => `${n} ${why} ${cancelled}`,
    });
    setImmediate(() => controller.abort());
    const run = await running;
    expect(run.results.filter((r) => r === '99 cancelled true')).toHaveLength(2);
    await pool.close();
    if (kind === 'process') expect(await settled(childCount, 0)).toBe(0);
  });

  test('bare members are measured, and start no slower than a pool', async () => {
    const bare = await measureBareStartup(kind, 2);
    expect(bare).toBeGreaterThan(0);
  });
});

test('refuses a pool of no members', async () => {
  await expect(startPool({ kind: 'thread', file: square, size: 0 })).rejects.toThrow(
    'a pool needs at least one member, got 0',
  );
});

test('the model: start-up plus rounds of tasks, never faster than the cores allow', async () => {
  const { predictPoolMs, predictSpeedup } = await import('../src/model.ts');
  const work = { workMs: 2000, tasks: 20, members: 2, cores: 2, startupMs: 100 };
  expect(predictPoolMs(work)).toBe(1100);
  expect(predictSpeedup({ ...work, workMs: 200 })).toBe(1);
  // 4 members on 2 cores: 5 rounds of 100 ms, but 2 cores need 1000 ms for 2000 ms of work.
  expect(predictPoolMs({ ...work, members: 4, startupMs: 0 })).toBe(1000);
  // 3 tasks on 2 members: two rounds, the second with one core idle.
  expect(predictPoolMs({ workMs: 300, tasks: 3, members: 2, cores: 2, startupMs: 0 })).toBe(200);
  // A task measured at 140 ms on a member (the cores slow each other down): 10 rounds of it.
  expect(predictPoolMs({ ...work, taskMs: 140 })).toBe(1500);
});

test('a member starts from its types stripped, line for line, imports followed', async () => {
  const { memberEntry } = await import('../src/entry.ts');
  const { readFileSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  const entry = memberEntry(square);
  expect(entry.pathname).toMatch(/\.mjs$/);
  const source = readFileSync(square, 'utf8');
  const stripped = readFileSync(fileURLToPath(entry), 'utf8');
  // Same lines, so a stack trace points at the real .ts line.
  expect(stripped.split('\n')).toHaveLength(source.split('\n').length);
  expect(stripped).not.toContain('serve<number');
  // Its import of member.ts now names member.ts's own stripped copy.
  const imported = /from '(file:[^']+\.mjs)'/.exec(stripped)?.[1];
  expect(imported).toBeDefined();
  expect(readFileSync(fileURLToPath(imported as string), 'utf8')).toMatch(
    /export function serve\s*\(/,
  );
  // A plain JavaScript file is started as it is.
  const plain = new URL('../src/bare-member.mjs', import.meta.url);
  expect(memberEntry(plain)).toBe(plain);
});
