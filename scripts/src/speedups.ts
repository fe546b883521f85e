// Speedups and efficiencies, measured in the matrix itself: each record
// against its own language's baseline run of the same workload (its group's
// manifest names it), so each row says what that kind of concurrency buys in
// that language; the time column compares the languages.
import { availableParallelism } from 'node:os';
import { cpuIdeal, efficiency } from '@lab/harness';
import { baseline, pairs, workload } from './lab.ts';
import type { MatrixRecord } from './types.ts';

const round3 = (value: number) => Math.round(value * 1000) / 1000;

/**
 * Each record with its speedup against its baseline, and its ideal as its
 * group says: the example's own; the CPU model recomputed from this matrix's
 * median baseline; or, for a Python row, its Node twin's (the same sites at
 * the same latency, one at a time, five at once, or all at once).
 */
export function withSpeedups(
  records: MatrixRecord[],
  cores = availableParallelism(),
): MatrixRecord[] {
  const find = (id: string, language: MatrixRecord['language'], strategy: string) =>
    records.find((r) => r.workload === id && r.language === language && r.strategy === strategy);
  return records.map((record) => {
    const name = baseline(record.workload, record.language);
    const base = name === null ? undefined : find(record.workload, record.language, name);
    const speedup = base ? round3(base.wallMs / record.wallMs) : null;
    const ideal = workload(record.workload)?.group.ideal ?? 'as-reported';
    let idealMs = record.idealMs;
    if (ideal === 'from-baseline' && base) {
      // The CPU models, from this matrix's own baseline (the median run's),
      // not from whichever run's baseline the median record came with: the
      // sequential time spread over as many workers as there are cores.
      const workers = typeof record.workers === 'number' ? record.workers : 1;
      idealMs = round3(cpuIdeal(base.wallMs, workers, cores));
    } else if (ideal === 'from-node-twin' && record.language === 'python') {
      const twin = pairs().find(
        (p) => p.workload === record.workload && p.python === record.strategy,
      );
      idealMs = twin ? (find(record.workload, 'node', twin.node)?.idealMs ?? null) : null;
    }
    const eff = efficiency(idealMs, record.wallMs);
    return { ...record, idealMs, efficiency: eff === null ? null : round3(eff), speedup };
  });
}
