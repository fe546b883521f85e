// Matrix records as the matrix writes them, with what a test varies.
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
