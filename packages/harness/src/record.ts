// The result record: one per strategy run. Every example in the project prints
// records of this shape, so the matrix and any script can read them all.
import { availableParallelism } from 'node:os';
import { efficiency } from './ideal.ts';

export interface ResultRecord {
  example: string;
  strategy: string;
  items: number;
  failed: number;
  bytes: number;
  wallMs: number;
  idealMs: number | null;
  /** ideal / actual; null without an ideal model. */
  efficiency: number | null;
  /** baseline wall time / this wall time; null without a baseline. */
  speedup: number | null;
  node: string;
  cpus: number;
  /** Fields of the example's own, e.g. peakInFlight or opsPerSec. */
  [field: string]: unknown;
}

/** What `--json` prints: exactly this object, and nothing else on stdout. */
export interface Report {
  example: string;
  node: string;
  cpus: number;
  results: ResultRecord[];
}

export interface Measurement {
  strategy: string;
  items: number;
  failed?: number;
  bytes?: number;
  wallMs: number;
  idealMs?: number | null;
  [field: string]: unknown;
}

const round = (value: number, places: number) => {
  const scale = 10 ** places;
  return Math.round(value * scale) / scale;
};

/** Turn one measurement into a record, computing efficiency (and speedup when a baseline is given). */
export function makeRecord(
  example: string,
  measurement: Measurement,
  baseline?: { wallMs: number },
): ResultRecord {
  const { strategy, items, failed = 0, bytes = 0, wallMs, idealMs = null, ...extra } = measurement;
  const eff = efficiency(idealMs, wallMs);
  return {
    example,
    strategy,
    items,
    failed,
    bytes,
    wallMs: round(wallMs, 2),
    idealMs: idealMs === null ? null : round(idealMs, 2),
    efficiency: eff === null ? null : round(eff, 3),
    speedup: baseline && wallMs > 0 ? round(baseline.wallMs / wallMs, 3) : null,
    node: process.version,
    cpus: availableParallelism(),
    ...extra,
  };
}

/** Records for several strategies, with speedups against the one named as the baseline. */
export function makeReport(
  example: string,
  measurements: readonly Measurement[],
  baselineStrategy?: string,
): Report {
  const baseline = measurements.find((m) => m.strategy === baselineStrategy);
  return {
    example,
    node: process.version,
    cpus: availableParallelism(),
    results: measurements.map((m) => makeRecord(example, m, baseline)),
  };
}
