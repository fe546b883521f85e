import { availableParallelism } from 'node:os';
import type { ResultRecord } from '@lab/harness';
import { runMain } from '@lab/harness/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { celeryProblem } from '../src/celery.ts';
import { redisServerProblem } from '../src/redis.ts';

// One run, every claim a ratio against that run's own model or another of
// its rows, with generous margins: this may be a slow, shared 2-core machine.
const main = new URL('../src/main.ts', import.meta.url);
const cores = availableParallelism();
const problem = redisServerProblem() ?? (cores < 2 ? 'one core: nothing to spread over' : null);
const skip = problem !== null && !process.env.CI;
const why = problem ? ` (skipped: ${problem})` : '';
const python = celeryProblem();

type Row = ResultRecord & { predictedMs: number; perJobMs: number; jobs: number; workMs: number };
const row = (rows: ResultRecord[], name: string) => {
  const found = rows.find((r) => r.strategy === name);
  if (!found) throw new Error(`no ${name} row`);
  return found as Row;
};
const seen = (rows: ResultRecord[]) =>
  rows.map((r) => `${r.strategy}: ${r.wallMs} ms, predicted ${r.predictedMs ?? '-'}`).join('; ');

describe.skipIf(skip)(`the queue on ${cores} cores${why}`, () => {
  let rows: ResultRecord[] = [];
  beforeAll(async () => {
    if (problem) throw new Error(`CI needs this: ${problem}`);
    const strategies = ['sequential', 'queue-small', 'queue-chunked', 'queue'];
    if (!python) strategies.push('celery', 'celery-chunked');
    const { code, report, stderr } = await runMain(
      main,
      [
        '--json',
        '--workers',
        '2',
        '--strategy',
        strategies.join(','),
        '--tasks',
        '2000',
        '--seconds',
        '1',
      ],
      240_000,
    );
    if (code !== 0 || !report) throw new Error(`queue exited ${code}: ${stderr.trim()}`);
    rows = report.results;
  }, 240_000);

  it('runs two workers within the bound of the prediction from its measured per-job cost', () => {
    const queue = row(rows, 'queue');
    expect(queue.wallMs / queue.predictedMs, seen(rows)).toBeGreaterThan(0.6);
    expect(queue.wallMs / queue.predictedMs, seen(rows)).toBeLessThan(1.5);
    // Tasks of tens of milliseconds: the queue's cost is a small share of the run.
    expect(queue.perJobMs * queue.jobs, seen(rows)).toBeLessThan(0.1 * queue.wallMs * 2);
  });

  it('runs chunks at least 5x faster than one small task a job, the queue costing more than the tasks', () => {
    const small = row(rows, 'queue-small');
    const chunked = row(rows, 'queue-chunked');
    expect(small.wallMs / chunked.wallMs, seen(rows)).toBeGreaterThan(5);
    expect(small.perJobMs * small.jobs, seen(rows)).toBeGreaterThan(small.workMs);
  });

  it.skipIf(python !== null)(
    `runs Celery's chunks faster than one task a message${python ? ` (skipped: ${python})` : ''}`,
    () => {
      expect(
        row(rows, 'celery').wallMs / row(rows, 'celery-chunked').wallMs,
        seen(rows),
      ).toBeGreaterThan(1.5);
      expect(row(rows, 'celery-chunked').exact).toBe(true);
    },
  );
});
