// Each lesson file is a program: run alone with this Node, it prints what
// the notes' Python prints, then its time, and exits 0.
import { runMain } from '@lab/harness/testing';
import { describe, expect, it } from 'vitest';

const lesson = (file: string) => new URL(`../src/${file}`, import.meta.url);
const started = /started at \d\d:\d\d:\d\d\nhello\nworld\nfinished at \d\d:\d\d:\d\d\n/;

describe.concurrent('each lesson file, run alone', () => {
  it.for([
    ['say-after.ts', [started, /\ntook \d+\.\d\d s\n$/]],
    ['task-group.ts', [started, /\ntook \d+\.\d\d s\n$/]],
    [
      'async-basics.ts',
      [
        /sequential:\n[\s\S]*sequential took \d+\.\d\d s\n/,
        /\nconcurrent took \d+\.\d\d s\n/,
        /\ngroup took \d+\.\d\d s\n$/,
      ],
    ],
    [
      'task-states.ts',
      [/at 2 s: task1 'hello', task2 'world', task3 <rejected>/, /\ntook \d+\.\d\d s\n$/],
    ],
    ['failures.ts', [/ {2}rethrew: task failed; world was cancelled\n/, /\ntook \d+\.\d\d s\n$/]],
    [
      'awaitables.ts',
      [
        /^a promise · a thenable · a future, resolved from outside\n/,
        /scrypt, on the thread pool \(run_in_executor\): a 64-byte key in /,
        /\ntook \d+\.\d\d s\n$/,
      ],
    ],
  ] as const)('%s', async ([file, patterns]) => {
    const { code, stdout, stderr } = await runMain(lesson(file), []);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    for (const pattern of patterns) expect(stdout).toMatch(pattern);
  });
});
