// Sizing the job on the reader's machine.
//
// The same job takes 2 s on one machine and 4 s on another, while starting a
// pool takes 60 ms on one and 300 ms on another. A fixed size makes those
// fixed costs a different share of the run on each machine, and the lesson
// changes with them. So the default size is chosen here, on the machine that
// runs it: time one task of the real job, then pick the base that makes the
// sequential run take about `seconds`. `--base N` still fixes it exactly.
import { type JobKind, MAX_N, runTask } from './job.ts';

export interface Sizing {
  /** The first number: tasks are base + x for x = 0 .. numbers - 1 (fib: base + x mod 3). */
  base: number;
  /** What the probe measured, for the summary: e.g. "one task of n = 8,000,000 took 27.0 ms". */
  probe: string;
  /** The sequential time this size should take, by the probe. */
  expectedMs: number;
}

const GOLDEN = (1 + Math.sqrt(5)) / 2; // fib(n + 1) / fib(n): each step up costs this much more

/** Time one task of the real job, growing it until it takes long enough to time well. */
function probe(kind: JobKind, start: number, grow: (n: number) => number) {
  let n = start;
  for (;;) {
    const task = { index: 0, kind, n };
    runTask(task); // once so V8 optimises this path, then the timed runs
    // The fastest of three: a moment when another process had the core
    // would make the machine look slower than it is, and the job too small.
    let ms = Number.POSITIVE_INFINITY;
    for (let turn = 0; turn < 3; turn++) {
      const started = performance.now();
      runTask(task);
      ms = Math.min(ms, performance.now() - started);
    }
    if (ms >= 25 || grow(n) > MAX_N) return { n, ms };
    n = grow(n);
  }
}

export function calibrate(kind: JobKind, numbers: number, seconds: number): Sizing {
  const targetMs = seconds * 1000;
  if (kind === 'squares') {
    // A task costs in proportion to n: numbers tasks of about base each.
    const { n, ms } = probe(kind, 1_000_000, (n) => n * 2);
    const msPerStep = ms / n;
    const wanted = targetMs / (numbers * msPerStep) - (numbers - 1) / 2;
    const base = Math.max(1000, Math.min(MAX_N - numbers + 1, roundTo(wanted, 100_000)));
    return {
      base,
      probe: `one task of n = ${n.toLocaleString('en')} took ${ms.toFixed(1)} ms`,
      expectedMs: msPerStep * numbers * (base + (numbers - 1) / 2),
    };
  }
  // fib(n) costs about GOLDEN^n calls; the tasks are fib(base + x mod 3).
  const { n, ms } = probe(kind, 20, (n) => n + 2);
  const mix = Array.from({ length: numbers }, (_, x) => GOLDEN ** (x % 3)).reduce((a, b) => a + b);
  const wanted = n + Math.log(targetMs / (ms * mix)) / Math.log(GOLDEN);
  const base = Math.max(10, Math.min(43, Math.round(wanted)));
  return {
    base,
    probe: `one task, fib(${n}), took ${ms.toFixed(1)} ms`,
    expectedMs: ms * mix * GOLDEN ** (base - n),
  };
}

/** Round to a whole multiple of `step` when the number is large enough to carry it. */
const roundTo = (value: number, step: number) =>
  value >= step ? Math.round(value / step) * step : Math.round(value);
