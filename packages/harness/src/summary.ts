// Printing a report: a short summary for one strategy, a table for several,
// or with --json exactly one JSON object on stdout.
import type { Report, ResultRecord } from './record.ts';

/** An example's own field, shown as a column (or a line) with this label. */
export interface Column {
  key: string;
  label: string;
  format?: (value: unknown, record: ResultRecord) => string;
}

export interface SummaryOptions {
  /** Lines printed above the summary, e.g. where the sites server listens. */
  heading?: string[];
  columns?: Column[];
  /** Lines printed below, e.g. what to notice. */
  notes?: string[];
}

export function formatMs(ms: number | null): string {
  if (ms === null || Number.isNaN(ms)) return '-';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${ms.toFixed(1)} ms`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} B`;
}

const formatRatio = (value: number | null, suffix = '') =>
  value === null ? '-' : `${value.toFixed(2)}${suffix}`;

const cell = (column: Column, record: ResultRecord) => {
  const value = record[column.key];
  if (column.format) return column.format(value, record);
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(2);
  return value === undefined || value === null ? '-' : String(value);
};

/** Lay out rows as a text table: first column left-aligned, the rest right-aligned. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].map((l) => `  ${l}`).join('\n');
}

function formatOne(report: Report, record: ResultRecord, columns: Column[]): string[] {
  const lines = [
    `${report.example} · ${record.strategy}`,
    `  ${record.items} items in ${formatMs(record.wallMs)}` +
      (record.bytes > 0 ? ` (${formatBytes(record.bytes)})` : '') +
      `, ${record.failed} failed`,
  ];
  if (record.idealMs !== null) {
    lines.push(
      `  ideal ${formatMs(record.idealMs)} · efficiency ${formatRatio(record.efficiency)}`,
    );
  }
  if (record.speedup !== null) lines.push(`  speedup ${formatRatio(record.speedup, 'x')}`);
  for (const column of columns) {
    const text = cell(column, record);
    // A field this strategy did not measure (its format gives '') is left out, not printed empty.
    if (text !== '') lines.push(`  ${column.label}: ${text}`);
  }
  return lines;
}

function formatMany(report: Report, columns: Column[]): string[] {
  const has = (key: 'idealMs' | 'efficiency' | 'speedup') =>
    report.results.some((r) => r[key] !== null);
  // The model columns appear only when some strategy has a model (or a baseline).
  const standard: Column[] = [
    { key: 'items', label: 'items' },
    { key: 'failed', label: 'failed' },
    { key: 'wallMs', label: 'time', format: (v) => formatMs(Number(v)) },
    ...(has('idealMs')
      ? [{ key: 'idealMs', label: 'ideal', format: (v: unknown) => formatMs(v as number | null) }]
      : []),
    ...(has('efficiency')
      ? [
          {
            key: 'efficiency',
            label: 'efficiency',
            format: (v: unknown) => formatRatio(v as number | null),
          },
        ]
      : []),
    ...(has('speedup')
      ? [
          {
            key: 'speedup',
            label: 'speedup',
            format: (v: unknown) => formatRatio(v as number | null, 'x'),
          },
        ]
      : []),
  ];
  // A column no strategy measured (every cell '') is left out.
  const measured = columns.filter((c) => report.results.some((r) => cell(c, r) !== ''));
  const all = [...standard, ...measured];
  const rows = report.results.map((r) => [r.strategy, ...all.map((c) => cell(c, r))]);
  return [report.example, formatTable(['strategy', ...all.map((c) => c.label)], rows)];
}

/** The human summary, as text. */
export function formatSummary(report: Report, options: SummaryOptions = {}): string {
  const columns = options.columns ?? [];
  const [only] = report.results;
  const body =
    report.results.length === 1 && only
      ? formatOne(report, only, columns)
      : formatMany(report, columns);
  return [
    ...(options.heading ?? []),
    ...body,
    `  Node ${report.node} · ${report.cpus} CPUs`,
    ...(options.notes ?? []),
  ].join('\n');
}

/** Print the report: JSON (one object, nothing else on stdout) or the human summary. */
export function printReport(report: Report, json: boolean, options: SummaryOptions = {}): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } else {
    process.stdout.write(`${formatSummary(report, options)}\n`);
  }
}
