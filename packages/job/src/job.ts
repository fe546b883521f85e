// The CPU-bound job from the notes, shared by cpu-multiprocess, event-loop and
// the matrix (imported, never copied).
//
// The notes' job: for each of 20 numbers n = base + x (x = 0..19), compute the
// sum of i * i for i < n. Near n = 5,000,000 that sum is about 4e19, past
// 2^53, where a JavaScript number stops counting exactly. BigInt in the inner
// loop would be exact but about ten times slower. So the loop splits each
// square (itself exact, below 2^53) into a high and a low 32-bit limb, adds
// each limb in a plain number of its own, in runs too short for either total
// to lose a digit; the runs' totals meet in a BigInt.
// Every result is checked against the closed form n(n-1)(2n-1)/6.
//
// The second job, fib, is the classic recursive Fibonacci: the same shape of
// work (pure computation, nothing to wait for) with no big numbers at all.

export type JobKind = 'squares' | 'fib';

/** One unit of work: run on any thread or process, it gives the same answer. */
export interface Task {
  index: number;
  kind: JobKind;
  n: number;
}

/** The notes' size: 5,000,000 + x for x = 0..19. */
export const NOTES_BASE = 5_000_000;

/** How many numbers (tasks) a run has unless told otherwise: the notes' 20. */
export const DEFAULT_NUMBERS = 20;

/** The tasks for one run: `numbers` inputs counting up from `base` (fib adds x mod 3). */
export function makeTasks(kind: JobKind, numbers: number, base: number): Task[] {
  return Array.from({ length: numbers }, (_, x) => ({
    index: x,
    kind,
    n: kind === 'fib' ? base + (x % 3) : base + x,
  }));
}

// Each i * i is exact as a number while i < 2^26.5; a running total is not.
// So the loop splits every square into a high and a low part (base 2^32)
// and adds each part in a number of its own, in short runs (2^14 steps,
// far too few to take either total past 2^53); the totals of each run meet
// in a BigInt between runs.
//
// The short runs are also what makes the job take the same time in every
// process, which every speedup here depends on. We measured two other shapes:
// - one long loop that moved the low total into a BigInt whenever it grew
//   large: the same task took 100 ms in one process and 200 ms in another;
// - runs of 2^20 steps: one process in four ran 1.4x slower for its first
//   second or so.
// V8 compiles a loop that runs long inside one call while it runs, and that
// code is sometimes worse; a function called thousands of times for a short
// while is compiled once, as a whole, and comes out the same every time.
const LIMB = 2 ** 32;
const RUN = 2 ** 14;
/** The largest n whose squares are still exact numbers. */
export const MAX_N = 94_906_265;

/** Sum of i * i for 0 <= i < n, exact. */
export function sumOfSquares(n: number): bigint {
  return sumOfSquaresBetween(0, n);
}

/** How many steps the chunked strategies run between turns for the event loop. */
export const SLICE = 1_000_000;

/** Sum of i * i for from <= i < to, exact: one slice of the job, for running it in pieces. */
export function sumOfSquaresBetween(from: number, to: number): bigint {
  let total = 0n;
  for (let start = from; start < to; start += RUN) {
    const [high, low] = squaresInRun(start, Math.min(to, start + RUN));
    total += BigInt(high) * BigInt(LIMB) + BigInt(low);
  }
  return total;
}

/** The high and low totals of i * i for from <= i < to, with to - from <= RUN: plain numbers only. */
function squaresInRun(from: number, to: number): [high: number, low: number] {
  let high = 0;
  let low = 0;
  for (let i = from; i < to; i++) {
    const square = i * i;
    const top = Math.floor(square / LIMB);
    high += top;
    low += square - top * LIMB;
  }
  return [high, low];
}

/** The closed form of the same sum: n(n-1)(2n-1)/6. */
export function sumOfSquaresClosedForm(n: number): bigint {
  const b = BigInt(n);
  return (b * (b - 1n) * (2n * b - 1n)) / 6n;
}

/** fib(n) the slow way, on purpose: about 1.6^n calls. */
export function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

/** fib(n) the fast way, to check the slow one. */
export function fibClosed(n: number): number {
  let [a, b] = [0, 1];
  for (let i = 0; i < n; i++) [a, b] = [b, a + b];
  return a;
}

/** Run one task; the result is a decimal string so it crosses threads and processes unchanged. */
export function runTask(task: Task): string {
  if (!Number.isInteger(task.n) || task.n < 0 || task.n > MAX_N) {
    throw new RangeError(
      `task ${task.index}: n must be a whole number from 0 to ${MAX_N}, got ${task.n}`,
    );
  }
  return task.kind === 'squares' ? String(sumOfSquares(task.n)) : String(fib(task.n));
}

/** Does a result match the closed form for its task? */
export function checkTask(task: Task, result: string): boolean {
  const expected =
    task.kind === 'squares' ? String(sumOfSquaresClosedForm(task.n)) : String(fibClosed(task.n));
  return result === expected;
}
