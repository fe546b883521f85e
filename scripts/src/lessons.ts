// What each workload's lesson expects of a measured run, so that the matrix
// table and the report can say when a run did not show it, and why, instead
// of drawing a slower run silently as the lesson reversed. Also which Node
// strategy and which Python original do the same job (both from the
// examples' manifests), for the one place where the two languages are
// compared with each other.
import { baseline, gains, pairs } from './lab.ts';
import type { MatrixRecord } from './types.ts';

/**
 * Whether the lesson says this strategy is faster than its language's own
 * baseline, as its example's manifest says (`gains`): every concurrent
 * download; CPU work spread over threads or processes (not async, which
 * cannot, and not Python's threads, which the GIL keeps to one core);
 * say_after started first. A race's or the event loop's lesson is not about speed.
 */
export function expectsGain(r: MatrixRecord): boolean {
  return gains(r.workload, r.language).has(r.strategy);
}

/**
 * The least noise a comparison with the prediction allows for: with one run a
 * cell (--quick) there is no spread to judge by, and on a shared 2-core
 * machine one run in ten differs by this much from the next.
 */
export const NOISE_FLOOR = 0.1;

/** The baseline record a record's speedup was measured against (its own language's). */
export function baselineOf(r: MatrixRecord, records: readonly MatrixRecord[]) {
  const strategy = baseline(r.workload, r.language);
  if (strategy === null) return undefined;
  return records.find(
    (b) => b.workload === r.workload && b.language === r.language && b.strategy === strategy,
  );
}

/** How far apart a cell's runs were, relative to its median: (slowest - fastest) / median. */
const relativeSpread = (r: MatrixRecord) =>
  r.wallMs > 0 ? (r.spread.maxMs - r.spread.minMs) / r.wallMs : 0;

const share = (part: number, whole: number) => `${Math.round((part / whole) * 100)}%`;
const ms = (value: number) =>
  value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(1)} ms`;

/**
 * Why a measured speedup falls short, or null when it does not: below 1
 * where the lesson expects a gain, or below the model's predictedSpeedup by
 * more than the noise (the two cells' spreads added, at least NOISE_FLOOR).
 * The reason names the start-up share, startupMs / wallMs, the usual cause
 * at small sizes: the workers' start-up is paid before any work is shared.
 */
export function speedupShortfall(r: MatrixRecord, records: readonly MatrixRecord[]): string | null {
  if (r.speedup === null) return null;
  const predicted = typeof r.predictedSpeedup === 'number' ? r.predictedSpeedup : null;
  const baseline = baselineOf(r, records);
  const noise = Math.max(
    NOISE_FLOOR,
    relativeSpread(r) + (baseline ? relativeSpread(baseline) : 0),
  );
  const shown = `${r.speedup.toFixed(2)}x${predicted === null ? '' : ` (predicted ${predicted.toFixed(2)}x)`}`;
  let what: string;
  if (r.speedup < 1 && expectsGain(r)) {
    what = `${shown}, below 1 where the lesson expects a gain`;
  } else if (predicted !== null && r.speedup < predicted * (1 - noise)) {
    what = `${shown}, below the prediction by more than the noise (${Math.round(noise * 100)}%)`;
  } else return null;
  const startup = typeof r.startupMs === 'number' ? r.startupMs : null;
  const task = typeof r.taskMs === 'number' ? r.taskMs : null;
  const baseTask = typeof baseline?.taskMs === 'number' ? baseline.taskMs : null;
  let why: string;
  if (startup !== null && startup > 0) {
    why = `start-up ${ms(startup)} is ${share(startup, r.wallMs)} of its ${ms(r.wallMs)}${
      typeof r.bareStartupMs === 'number' ? ` (a bare worker starts in ${ms(r.bareStartupMs)})` : ''
    }`;
  } else if (startup === 0 && task !== null && baseTask !== null) {
    // A pool started before the clock: the shortfall is in the work itself, task for task.
    why = `no start-up in its time; each task took ${ms(task)} against ${ms(baseTask)} in the baseline run`;
  } else if (startup === 0) {
    why = 'no start-up in its time';
  } else {
    why = 'no start-up time measured for it';
  }
  return `${what}: ${why}`;
}

export interface LanguagePair {
  workload: MatrixRecord['workload'];
  node: MatrixRecord;
  python: MatrixRecord;
  /** Python's time over Node's: above 1, Node was faster. */
  ratio: number;
}

/** Node against Python, job for job: only where both were measured in this matrix. */
export function nodeAgainstPython(records: readonly MatrixRecord[]): LanguagePair[] {
  const find = (workload: string, language: string, strategy: string) =>
    records.find(
      (r) => r.workload === workload && r.language === language && r.strategy === strategy,
    );
  return pairs().flatMap(({ workload, node, python }) => {
    const n = find(workload, 'node', node);
    const p = find(workload, 'python', python);
    if (!n || !p || n.wallMs <= 0) return [];
    return [{ workload, node: n, python: p, ratio: Math.round((p.wallMs / n.wallMs) * 100) / 100 }];
  });
}

/** A ratio in words: which language was faster, and by how much. */
export function faster(ratio: number): string {
  if (ratio.toFixed(2) === '1.00') return 'the same (1.00x)';
  return ratio > 1
    ? `Node ${ratio.toFixed(2)}x faster`
    : `Python ${(1 / ratio).toFixed(2)}x faster`;
}
