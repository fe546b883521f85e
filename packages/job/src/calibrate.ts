// Sizing the job on the reader's machine.
//
// The same job takes 2 s on one machine and 4 s on another, while starting a
// pool takes 60 ms on one and 300 ms on another. A fixed size makes those
// fixed costs a different share of the run on each machine, and the lesson
// changes with them. So the default size is chosen here, on the machine that
// runs it: time one task of the real job, then pick the base that makes the
// sequential run take about `seconds`. `--base N` still fixes it exactly.
// On a machine fast enough that even the largest exact n (MAX_N) is too
// small, the job takes more numbers instead, counting up to MAX_N: the notes'
// 20 is where the size starts, not a reason to let fixed costs dominate.
import { type JobKind, MAX_N, runTask } from './job.ts';

export interface Sizing {
  /** How many numbers (tasks): as asked, or more where the largest n is too small for the time. */
  numbers: number;
  /** The first number: tasks are base + x for x = 0 .. numbers - 1 (fib: base + x mod 3). */
  base: number;
  /** What the probe measured, for the summary: e.g. "one task of n = 8,000,000 took 27.0 ms". */
  probe: string;
  /** The sequential time this size should take, by the probe. */
  expectedMs: number;
  /** Why there are more numbers than asked, for the summary, or null when there are not. */
  why: string | null;
}

const GOLDEN = (1 + Math.sqrt(5)) / 2; // fib(n + 1) / fib(n): each step up costs this much more

/** One task of the real job, timed. */
function time(kind: JobKind, n: number): number {
  const started = performance.now();
  runTask({ index: 0, kind, n });
  return performance.now() - started;
}

/** The fastest of three: a moment when another process had the core would make the machine look slower than it is, and the job too small. */
const fastest = (kind: JobKind, n: number) => Math.min(time(kind, n), time(kind, n), time(kind, n));

/** Time one task of the real job, growing it until it takes long enough to time well. */
function probe(kind: JobKind, start: number, grow: (n: number) => number) {
  let n = start;
  while (time(kind, n) < 25 && grow(n) <= MAX_N) n = grow(n);
  return { n, ms: fastest(kind, n) };
}

/**
 * The size for about `seconds` of sequential work here. Where more numbers
 * are needed, their count is a multiple of `members`, so no member is left
 * with one task more than the others at the end.
 */
export function calibrate(kind: JobKind, numbers: number, seconds: number, members = 1): Sizing {
  const targetMs = seconds * 1000;
  if (kind === 'squares') {
    // A task costs in proportion to n: numbers tasks of about base each.
    const size = (msPerStep: number) => {
      const wanted = targetMs / (numbers * msPerStep) - (numbers - 1) / 2;
      // Past MAX_N, as many numbers just below it as the time takes.
      const count =
        wanted <= MAX_N - numbers + 1
          ? numbers
          : Math.max(numbers, roundUp(Math.ceil(targetMs / (msPerStep * MAX_N)), members));
      const base = Math.max(1000, Math.min(MAX_N - count + 1, roundTo(wanted, 100_000)));
      return { count, base };
    };
    const first = probe(kind, 1_000_000, (n) => n * 2);
    // Then a second look, at the size the first chose: the time per step of
    // a small task need not be that of a large one (V8 may still be
    // compiling the loop, caches differ), and the summary shows a real task.
    const { base: n } = size(first.ms / first.n);
    const ms = fastest(kind, n);
    const msPerStep = ms / n;
    const { count, base } = size(msPerStep);
    return {
      numbers: count,
      base,
      probe: `one task of n = ${n.toLocaleString('en')} took ${ms.toFixed(1)} ms`,
      expectedMs: msPerStep * count * (base + (count - 1) / 2),
      why:
        count > numbers
          ? `${count} numbers, not ${numbers}: n stops at ${MAX_N.toLocaleString('en')}, the largest whose squares are exact`
          : null,
    };
  }
  // fib(n) costs about GOLDEN^n calls; the tasks are fib(base + x mod 3).
  const { n, ms } = probe(kind, 20, (n) => n + 2);
  const mix = Array.from({ length: numbers }, (_, x) => GOLDEN ** (x % 3)).reduce((a, b) => a + b);
  const wanted = n + Math.log(targetMs / (ms * mix)) / Math.log(GOLDEN);
  const base = Math.max(10, Math.min(43, Math.round(wanted)));
  return {
    numbers,
    base,
    probe: `one task, fib(${n}), took ${ms.toFixed(1)} ms`,
    expectedMs: ms * mix * GOLDEN ** (base - n),
    why: null,
  };
}

const roundUp = (value: number, step: number) => Math.ceil(value / step) * step;

/** Round to a whole multiple of `step` when the number is large enough to carry it. */
const roundTo = (value: number, step: number) =>
  value >= step ? Math.round(value / step) * step : Math.round(value);
