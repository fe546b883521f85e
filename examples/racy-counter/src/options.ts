// The options racy-counter and safe-counter share, and the check that keeps
// the count inside the shared Int32 cell.
import { availableParallelism } from 'node:os';
import { option, UsageError } from '@lab/harness';

export const counterOptions = {
  workers: option.int('threads (and async tasks) sharing the counter', {
    default: 4,
    min: 1,
    max: 64,
  }),
  increments: option.int('increments each of them makes', {
    default: 1_000_000,
    min: 1,
    max: 100_000_000,
  }),
  json: option.flag('print one JSON object instead of the summary'),
};

const INT32_MAX = 2 ** 31 - 1;

export function checkTotal(workers: number, increments: number): void {
  if (workers * increments > INT32_MAX) {
    throw new UsageError(
      `--workers x --increments must be at most ${INT32_MAX} (one Int32 cell), got ${workers * increments}`,
    );
  }
}

/** What one core means for a race, said once for both programs. */
export function coresNote(): string {
  const cores = availableParallelism();
  return cores > 1
    ? `  ${cores} cores: the threads really run at the same time, so their read-add-write steps interleave.`
    : '  1 core: the threads take turns, and an update is lost only when the OS switches threads between a read and its write: rarely, but not never.';
}

export const opsPerSec = (count: number, wallMs: number) => Math.round(count / (wallMs / 1000));
