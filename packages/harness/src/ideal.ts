// Ideal-time models: how long a run would take if the only cost were the work
// itself. Efficiency = ideal / actual, so 1.0 means no overhead at all and 0.5
// means half the time went to something other than the model's cost.

/** One item after another: N x L. */
export function sequentialIdeal(items: number, latencyMs: number): number {
  return items * latencyMs;
}

/** A bounded pool of c: items go in ceil(N / c) waves of L each. */
export function poolIdeal(items: number, concurrency: number, latencyMs: number): number {
  return Math.ceil(items / concurrency) * latencyMs;
}

/** Everything at once: about one latency, however many items. */
export function unboundedIdeal(latencyMs: number): number {
  return latencyMs;
}

/** CPU work spread over workers: no faster than the cores allow. */
export function cpuIdeal(workMs: number, workers: number, cores: number): number {
  return workMs / Math.max(1, Math.min(workers, cores));
}

/** ideal / actual, or null when there is no model (an ideal of 0 says nothing) or nothing was timed. */
export function efficiency(idealMs: number | null, wallMs: number): number | null {
  if (idealMs === null || !(idealMs > 0) || !(wallMs > 0)) return null;
  return idealMs / wallMs;
}
