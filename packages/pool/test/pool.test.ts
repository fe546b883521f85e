import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { MemberDied, type MemberKind, measureBareStartup, Pool, startPool } from '../src/index.ts';

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

describe.each<MemberKind>(['thread', 'process'])('a Pool of %s members', (kind) => {
  test('run hands each task to a free member and queues the rest', async () => {
    await using pool = new Pool<number, Answer>(square, { kind, size: 2 });
    await pool.ready; // both members can take a task: the first two go out at once
    const answers = await Promise.all([1, 2, 3, 4, 5].map((n) => pool.runMeasured(n)));
    expect(answers.map((a) => a.result.square)).toEqual([1, 4, 9, 16, 25]);
    expect(answers.every((a) => a.result.thread === (kind === 'thread'))).toBe(true);
    expect(new Set(answers.map((a) => a.member))).toEqual(new Set([0, 1]));
    expect(answers.every((a) => a.ms > 0)).toBe(true);
  });

  test('at most size tasks run at once; the others wait their turn', async () => {
    const controller = new AbortController();
    const pool = new Pool<number, Answer>(square, { kind, size: 2, signal: controller.signal });
    const stuck = [pool.run(99), pool.run(99)];
    const queued = pool.run(3);
    let answered = false;
    void queued.then(
      () => (answered = true),
      () => {},
    );
    await pool.ready;
    await new Promise((r) => setTimeout(r, 100));
    expect(answered).toBe(false); // both members are in a task that never ends
    const checks = [...stuck, queued].map((task) => expect(task).rejects.toThrow('cancelled'));
    controller.abort();
    await Promise.all(checks);
    await expect(pool.run(1)).rejects.toThrow('cancelled');
    if (kind === 'process') expect(await settled(childCount, 0)).toBe(0);
  });

  test('map answers in task order; a task that throws rejects with its own message', async () => {
    await using pool = new Pool<number, Answer>(square, { kind, size: 2 });
    const answers = await pool.map(Array.from({ length: 10 }, (_, i) => i));
    expect(answers.map((a) => a.square)).toEqual(Array.from({ length: 10 }, (_, i) => i * i));
    await expect(pool.run(-5)).rejects.toThrow('negative: -5');
    expect((await pool.run(6)).square).toBe(36); // a throw is an answer: the member goes on
  });

  test('a dead member fails its own task, is not replaced, and the rest go to the others', async () => {
    await using pool = new Pool<number, Answer>(square, { kind, size: 2 });
    await pool.ready;
    const died = pool.run(13);
    const rest = [pool.run(2), pool.run(3), pool.run(4)];
    await expect(died).rejects.toThrow(`its ${kind} died (exit code 3)`);
    await expect(died).rejects.toBeInstanceOf(MemberDied);
    expect((await Promise.all(rest)).map((a) => a.square)).toEqual([4, 9, 16]);
    // The last member dies too: every later task is refused, naming why.
    await expect(pool.run(13)).rejects.toThrow(MemberDied);
    await expect(pool.run(5)).rejects.toThrow(`no ${kind} left to run it`);
  });

  test('disposing lets the members finish and exit, and refuses later tasks', async () => {
    const before = kind === 'thread' ? threadCount() : 0;
    const pool = new Pool<number, Answer>(square, { kind, size: 2 });
    const running = pool.run(7); // queued until a member is ready, and still run
    await pool[Symbol.asyncDispose]();
    expect((await running).square).toBe(49);
    await expect(pool.run(1)).rejects.toThrow('the pool is closed');
    if (kind === 'thread') expect(await settled(threadCount, before)).toBeLessThanOrEqual(before);
    else expect(await settled(childCount, 0)).toBe(0);
  });

  test('terminate ends a member stuck in a task, and rejects its task', async () => {
    const pool = new Pool<number, Answer>(square, { kind, size: 1 });
    const stuck = expect(pool.run(99)).rejects.toThrow('the pool was terminated');
    await pool.ready;
    await pool.terminate();
    await stuck;
    if (kind === 'process') expect(await settled(childCount, 0)).toBe(0);
  });
});
