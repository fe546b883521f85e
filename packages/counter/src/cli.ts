// What racy-counter and safe-counter share on the command line: the options,
// the check that bounds the whole count (and keeps it in one Int32 cell), the
// columns of a count, and what the number of cores means for a race.
import { availableParallelism } from 'node:os';
import { type Column, formatMs, option, type ResultRecord, UsageError } from '@lab/harness';

type Sizes = { workers: number; increments: number };

/**
 * The most increments in one run, all workers together: 5x the default. The
 * slowest fix (the async mutex, about 1 us an increment) then takes 15-30 s
 * on a 2-core machine; it also keeps the count well inside one Int32 cell.
 */
export const MAX_TOTAL = 20_000_000;

export const counterOptions = {
  // Each thread costs about 20 MB: 16 of them about 370 MB, measured.
  workers: option.int('threads (and async tasks) sharing the counter (16 threads: about 400 MB)', {
    default: 4,
    min: 1,
    max: 16,
  }),
  increments: option.int(
    `increments each of them makes; --workers x --increments at most ${MAX_TOTAL.toLocaleString('en')} (under a minute)`,
    {
      default: 1_000_000,
      min: 1,
      max: MAX_TOTAL,
    },
  ),
};

/** --strategy NAME|all, in both programs: one run by its record's name, or every run. */
export const strategyOption = <const N extends string>(names: readonly N[]) =>
  option.choice('which run', [...names, 'all'], 'all');

/** W x K increments in all: at most MAX_TOTAL, so that no run takes more than a minute. */
export function checkTotal({ workers, increments }: Sizes): void {
  if (workers * increments > MAX_TOTAL) {
    throw new UsageError(
      `--workers x --increments must be at most ${MAX_TOTAL} (under a minute for the slowest fix), got ${workers * increments}`,
    );
  }
}

export const countHeading = ({ workers, increments }: Sizes) => [
  `${workers} x ${increments.toLocaleString('en')} increments of one counter`,
];

/** What both programs hand runExample besides their own: the check and the heading. */
export const counterExample = { check: checkTotal, heading: countHeading };

const ms = (value: unknown) => (typeof value === 'number' ? formatMs(value) : '-');

/** The columns every count shows, after the harness's own. */
export const countColumns: Column[] = [
  { key: 'startupMs', label: 'start-up', format: ms },
  { key: 'countMs', label: 'counting', format: ms },
  { key: 'expected', label: 'expected' },
  { key: 'actual', label: 'actual' },
  { key: 'lost', label: 'lost' },
];

const percent = (v: unknown) => `${(Number(v) * 100).toFixed(1)}%`;

/** racy-counter's own column: the share of the increments lost. */
export const lostShareColumn: Column = { key: 'lostShare', label: 'lost share', format: percent };

/** safe-counter's own columns: the rate of a run, and a fix's rate over its racy run's. */
export const rateColumns: Column[] = [
  { key: 'opsPerSec', label: 'increments/s', format: (v) => Number(v).toLocaleString('en') },
  { key: 'vsRacy', label: 'vs racy', format: (v) => `${Number(v).toFixed(2)}x` },
];

/**
 * The summary's columns and notes: every count's columns, then the program's
 * own; a blank line, the program's notes, and what the cores mean when
 * threads ran (their records have a start-up).
 */
export function countSummary(results: ResultRecord[], columns: Column[], notes: string[]) {
  const threads = results.some((r) => typeof r.startupMs === 'number');
  return {
    columns: [...countColumns, ...columns],
    notes: ['', ...notes, ...(threads ? [coresNote()] : [])],
  };
}

/** What the number of cores means for the thread race, said the same way by both programs. */
export function coresNote(): string {
  const cores = availableParallelism();
  return cores > 1
    ? `  ${cores} cores: the threads run at the same time, and one thread's write lands between another's read and write: updates are lost on nearly every run.`
    : '  1 core: the threads take turns; one switched out between its read and its write later writes a stale value over all the others counted meanwhile. A count that fits in one time slice loses nothing.';
}
