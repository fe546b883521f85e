import { interruptAfter, rejectsBadInput, runMain } from '@lab/harness/testing';
import { describe, expect, it } from 'vitest';

const main = new URL('../src/main.ts', import.meta.url);
const run = (args: string[]) => runMain(main, args);

describe('async-basics on the command line', () => {
  it('walks through the notes: the three ways, then the tour, then the table', async () => {
    const { code, stdout } = await run(['--scale', '0.05']);
    expect(code).toBe(0);
    const sections = stdout.split('\n').filter((line) => /^\S.*:( |$)/.test(line));
    expect(sections).toEqual([
      'sequential: await say_after(1), then await say_after(2)',
      'concurrent: start both (create_task), then await each',
      'group: a TaskGroup, closed by `await using`',
      'the event loop knows every task and its state:',
      'a task fails after 0.5 s, beside hello (0.25 s) and world (2 s):',
      'awaitables:',
    ]);
    expect(stdout).toMatch(/ {2}started at \d\d:\d\d:\d\d\n {2}hello\n {2}world\n {2}finished at /);
    expect(stdout).toContain('rethrew: task failed; world was cancelled');
    expect(stdout).toMatch(/\n {2}sequential +2 +0 /);
  });

  it('prints one record per way with --json, and nothing else', async () => {
    const { code, stdout, report } = await run(['--scale', '0.05', '--json']);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const results = report?.results ?? [];
    expect(results.map((r) => [r.strategy, r.idealMs])).toEqual([
      ['sequential', 150],
      ['concurrent', 100],
      ['group', 100],
    ]);
    // A timer never fires early: each way takes at least its ideal time.
    for (const r of results) expect(r.wallMs).toBeGreaterThanOrEqual((r.idealMs as number) - 1);
  });

  it('stops on Ctrl-C in the middle of a way, prints the ways done, and exits 130', async () => {
    // When the group's 'hello' is out, its 'world' is 0.5 s away (at --scale 0.5).
    const cue = /group: [^\n]*\n.*\n {2}hello\n/;
    const { code, stdout } = await interruptAfter(main, ['--scale', '0.5'], cue);
    expect(code).toBe(130);
    expect(stdout).toContain('interrupted: 2 of 3 runs done.');
    expect(stdout).not.toContain('the event loop knows');
  });

  rejectsBadInput(main, [[['--scale', '0'], '--scale']]);
});
