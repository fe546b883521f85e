import { parseOptions, UsageError } from '@lab/harness';
import { describe, expect, it } from 'vitest';
import { checkTotal, counterOptions } from '../src/cli.ts';
import { countInTasks, TURN_EVERY } from '../src/tasks.ts';

const parse = (args: string[]) => {
  const values = parseOptions(args, counterOptions, 'usage');
  checkTotal(values);
  return values;
};

describe("the counters' options", () => {
  it('takes W threads of K increments, 4 x 1,000,000 by default', () => {
    expect(parse([])).toEqual({ workers: 4, increments: 1_000_000 });
    expect(parse(['--workers', '16', '--increments', '1250000'])).toMatchObject({ workers: 16 });
  });

  it.each([
    [['--workers', '0'], '--workers'],
    [['--workers', '17'], '--workers'],
    [['--workers', '-1'], '--workers'],
    [['--increments', '20000001'], '--increments'],
    [['--increments', '1.5'], '--increments'],
    [['--increments', 'many'], '--increments'],
    [['--increments'], '--increments'],
    [['--workers', '16', '--increments', '1250001'], '--increments'], // past MAX_TOTAL in all
  ])('rejects %j with a UsageError naming %s', (args, flag) => {
    expect(() => parse(args)).toThrow(UsageError);
    expect(() => parse(args)).toThrow(flag);
  });
});

describe('a count in async tasks', () => {
  it('runs every increment of every task, past the event-loop turns', async () => {
    const count = countInTasks((shared) => {
      shared.counter += 1;
    });
    expect(await count(3, TURN_EVERY + 1)).toMatchObject({
      expected: 3 * (TURN_EVERY + 1),
      actual: 3 * (TURN_EVERY + 1),
    });
  });
});
