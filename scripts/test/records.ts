// Matrix records as the matrix writes them, with what a test varies.
import { writeReport } from '../src/report.ts';
import type { MatrixRecord } from '../src/types.ts';

/** A matrix record as the matrix writes one, with what a test varies. */
export const record = (
  workload: MatrixRecord['workload'],
  language: MatrixRecord['language'],
  strategy: string,
  wallMs: number,
  idealMs: number | null,
  extra: Record<string, unknown> = {},
) =>
  ({
    example: 'e',
    strategy,
    items: 20,
    failed: 0,
    bytes: 0,
    wallMs,
    idealMs,
    efficiency: null,
    speedup: null,
    node: 'v24',
    cpus: 2,
    workload,
    language,
    repeats: 1,
    spread: { minMs: wallMs, maxMs: wallMs },
    ...extra,
  }) as MatrixRecord;

/** A small report written to `file`: the two download examples, so each has its live link. */
export function writeDownloadsReport(file: string): Promise<unknown> {
  return writeReport(
    {
      machine: { cpuModel: 'Test', cpus: 2, memoryGb: 8, os: 'Linux', node: 'v24', python: null },
      quick: true,
      results: [
        record('io', 'node', 'sequential', 1000, 1000, { example: 'sync-download' }),
        record('io', 'node', 'all-at-once', 100, 100, { example: 'async-download' }),
      ],
    },
    { file, families: [] },
  );
}
