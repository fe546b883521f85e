// Each lesson file is a program: run alone with this Node, it prints what
// the asyncio original's section prints, then its time, and exits 0 (a
// lesson that starts a sites server has closed it by then, or it would not
// exit at all).
import { runMain } from '@lab/harness/testing';
import { describe, expect, it } from 'vitest';

const lesson = (file: string) => new URL(`../src/${file}`, import.meta.url);
const took = /\ntook \d+\.\d\d s\n$/;

describe.concurrent('each lesson file, run alone', () => {
  it.for([
    [
      'timeouts.ts',
      /^Promise\.race against a 100 ms timer: returned at [\d.]+ ms; in flight at the server 20 ms after the deadline: \d+\nAbortSignal\.timeout\(100\) handed to every request: returned at [\d.]+ ms; /,
    ],
    [
      'cancellation.ts',
      /^listening loop: abort\(\) ran at [\d.]+ ms; [^\n]*\ndeaf loop: [^\n]*\ncomputing loop: /,
    ],
    ['shield.ts', /^shield: caller gave up at [\d.]+ ms; the commit was answered at [\d.]+ ms\n/],
    ['completion.ts', /^asCompleted \(as_completed\): fails \(error\), medium, slow\n/],
    ['eager.ts', /^caller: calls work\(\)\nwork: runs, up to its first await\n/],
    ['hedging.ts', /^hedged: p50 [\d.]+ ms, p99 [\d.]+ ms \(one server each, round-robin: p50 /],
    [
      'threads.ts',
      /^heartbeats \(every 5 ms\) while 200 ms pass: blockFor on the loop \d+, toThread \d+, fromThread \d+\nblocked 200 ms on its own thread\nthe loop answered: said after 200 ms on the loop\n/,
    ],
  ] as const)('%s', async ([file, prints]) => {
    const { code, stdout, stderr } = await runMain(lesson(file), []);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(prints);
    expect(stdout).toMatch(took);
  });
});
