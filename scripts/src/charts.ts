// The report's charts, as inline SVG drawn when the report is written: each
// workload's lesson in the measure it is about. Every number drawn comes
// from the matrix's records; a chart whose records lack its fields is not
// drawn at all, rather than drawn empty.
import { escapeHtml as esc } from './highlight.ts';
import { speedupShortfall } from './lessons.ts';
import { outcome } from './outcome.ts';
import type { MatrixRecord, RequestTiming } from './types.ts';

export const label = (r: MatrixRecord) =>
  `${r.strategy} (${r.example}${r.language === 'python' ? ', Python' : ''})`;
export const ms = (value: number) =>
  value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(1)} ms`;
const count = (value: number) => value.toLocaleString('en-US');
const num = (value: unknown) =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

const ROW = 26;
const LABEL = 300;
const BARS = 420;

/** The data-* attributes that tie a drawn row to its record, for the reader's tools and the test. */
const ids = (r: MatrixRecord) =>
  `data-strategy="${esc(r.strategy)}" data-example="${esc(r.example)}" data-language="${r.language}"`;

/** An SVG that scales down to its container (a phone) and never up past its drawn width. */
const svg = (kind: string, width: number, height: number, body: string, title: string) =>
  `<svg class="chart ${kind}" role="img" aria-label="${esc(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">${body}</svg>`;

const rowLabel = (r: MatrixRecord, y: number) =>
  `<text x="${LABEL - 8}" y="${y + 14}" text-anchor="end">${esc(label(r))}</text>`;

/** Time per strategy, the ideal marked as a line where the record has one, each run's result beside it. */
export function timeChart(records: MatrixRecord[]): string {
  const max = Math.max(...records.map((r) => Math.max(r.wallMs, r.idealMs ?? 0)), 1e-9);
  const outcomeX = LABEL + BARS + 90;
  const bars = records.map((r, i) => {
    const y = 5 + i * ROW;
    const width = Math.max(1, (r.wallMs / max) * BARS);
    const x = (v: number) => (LABEL + (v / max) * BARS).toFixed(1);
    const ideal =
      r.idealMs === null
        ? ''
        : `<line class="ideal" x1="${x(r.idealMs)}" x2="${x(r.idealMs)}" y1="${y - 2}" y2="${y + 20}"><title>ideal ${ms(r.idealMs)}</title></line>`;
    const result = outcome(r);
    return `<g class="bar" ${ids(r)} data-value="${r.wallMs}">${rowLabel(r, y)}
  <rect class="${r.language}" x="${LABEL}" y="${y}" width="${width.toFixed(1)}" height="18"></rect>
  <text class="value" x="${LABEL + width + 6}" y="${y + 14}">${ms(r.wallMs)}</text>${ideal}${
    result ? `<text class="outcome" x="${outcomeX}" y="${y + 14}">${esc(result)}</text>` : ''
  }</g>`;
  });
  return svg(
    'time',
    outcomeX + 260,
    records.length * ROW + 10,
    bars.join('\n'),
    'time per strategy',
  );
}

/**
 * Speedup per strategy against its own language's baseline, a line at 1x
 * (the baseline itself), the model's prediction marked where a record has
 * one, and a bar that falls short of the lesson marked `!` and explained
 * below the chart.
 */
export function speedupChart(records: MatrixRecord[], all: MatrixRecord[]): string {
  const rows = records.filter((r) => r.speedup !== null);
  const predicted = (r: MatrixRecord) => num(r.predictedSpeedup);
  const max = Math.max(...rows.map((r) => Math.max(r.speedup!, predicted(r) ?? 0)), 1);
  const x = (v: number) => (LABEL + (v / max) * BARS).toFixed(1);
  const notes: string[] = [];
  const bars = rows.map((r, i) => {
    const y = 5 + i * ROW;
    const value = r.speedup!;
    const width = Math.max(1, (value / max) * BARS);
    const short = speedupShortfall(r, all);
    if (short) {
      notes.push(`<li ${ids(r)}><strong>${esc(label(r))}</strong>: ${esc(short)}</li>`);
    }
    const p = predicted(r);
    const marker =
      p === null
        ? ''
        : `<line class="predicted" x1="${x(p)}" x2="${x(p)}" y1="${y - 2}" y2="${y + 20}"><title>predicted ${p.toFixed(2)}x</title></line><text class="predicted" x="${LABEL + BARS + 50}" y="${y + 14}">predicted ${p.toFixed(2)}x</text>`;
    return `<g class="bar${short ? ' shortfall' : ''}" ${ids(r)} data-value="${value}">${rowLabel(r, y)}
  <rect class="${r.language}" x="${LABEL}" y="${y}" width="${width.toFixed(1)}" height="18"></rect>
  <text class="value" x="${LABEL + width + 6}" y="${y + 14}">${value.toFixed(2)}x${short ? ' !' : ''}</text>${marker}</g>`;
  });
  const height = rows.length * ROW + 10;
  const one = `<line class="one" x1="${x(1)}" x2="${x(1)}" y1="0" y2="${height}"><title>1x: as fast as the baseline</title></line>`;
  const chart = svg(
    'speedup',
    LABEL + BARS + 190,
    height,
    `${bars.join('\n')}${one}`,
    'speedup per strategy',
  );
  return notes.length === 0 ? chart : `${chart}\n<ul class="shortfalls">${notes.join('\n')}</ul>`;
}

/** A race's lost updates: per strategy, the increments kept and the ones lost, out of those expected. */
export function lostChart(records: MatrixRecord[]): string {
  const rows = records.filter((r) => num(r.expected) !== null && num(r.lost) !== null);
  if (rows.length === 0) return '';
  const bars = rows.map((r, i) => {
    const y = 5 + i * ROW;
    const expected = num(r.expected)!;
    const lost = num(r.lost)!;
    const kept = expected - lost;
    const keptWidth = expected > 0 ? (kept / expected) * BARS : 0;
    const lostWidth = expected > 0 ? (lost / expected) * BARS : 0;
    const text =
      lost === 0
        ? `exact: ${count(kept)} of ${count(expected)}`
        : `lost ${count(lost)} of ${count(expected)} (${((lost / expected) * 100).toFixed(1)}%)`;
    return `<g class="bar" ${ids(r)} data-expected="${expected}" data-lost="${lost}" data-actual="${num(r.actual) ?? kept}">${rowLabel(r, y)}
  <rect class="kept ${r.language}" x="${LABEL}" y="${y}" width="${keptWidth.toFixed(1)}" height="18"></rect>
  <rect class="lost" x="${(LABEL + keptWidth).toFixed(1)}" y="${y}" width="${lostWidth.toFixed(1)}" height="18"></rect>
  <text class="value" x="${LABEL + BARS + 8}" y="${y + 14}">${esc(text)}</text></g>`;
  });
  return svg(
    'lost',
    LABEL + BARS + 330,
    rows.length * ROW + 10,
    bars.join('\n'),
    'lost updates per strategy',
  );
}

/** The fixes: exact or not, and how many increments a second each managed. */
export function opsChart(records: MatrixRecord[]): string {
  const rows = records.filter((r) => num(r.opsPerSec) !== null);
  if (rows.length === 0) return '';
  const max = Math.max(...rows.map((r) => num(r.opsPerSec)!), 1);
  const bars = rows.map((r, i) => {
    const y = 5 + i * ROW;
    const ops = num(r.opsPerSec)!;
    const width = Math.max(1, (ops / max) * BARS);
    const lost = num(r.lost) ?? 0;
    const exact = lost === 0 ? 'exact' : `NOT exact: lost ${count(lost)}`;
    return `<g class="bar" ${ids(r)} data-value="${ops}" data-exact="${lost === 0}">${rowLabel(r, y)}
  <rect class="${r.language}" x="${LABEL}" y="${y}" width="${width.toFixed(1)}" height="18"></rect>
  <text class="value" x="${LABEL + width + 6}" y="${y + 14}">${count(ops)}/s · ${esc(exact)}</text></g>`;
  });
  return svg(
    'ops',
    LABEL + BARS + 260,
    rows.length * ROW + 10,
    bars.join('\n'),
    'increments per second',
  );
}

/** Requests per second per client, the loopback bound (wrk) among them: the throughput benchmark. */
export function rateChart(records: MatrixRecord[]): string {
  const rows = records.filter((r) => num(r.reqPerSec) !== null);
  if (rows.length === 0) return '';
  const max = Math.max(...rows.map((r) => num(r.reqPerSec)!), 1);
  const bars = rows.map((r, i) => {
    const y = 5 + i * ROW;
    const rate = num(r.reqPerSec)!;
    const width = Math.max(1, (rate / max) * BARS);
    return `<g class="bar" ${ids(r)} data-value="${rate}">${rowLabel(r, y)}
  <rect class="${r.language}" x="${LABEL}" y="${y}" width="${width.toFixed(1)}" height="18"></rect>
  <text class="value" x="${LABEL + width + 6}" y="${y + 14}">${count(rate)} requests/s</text></g>`;
  });
  return svg(
    'rate',
    LABEL + BARS + 200,
    rows.length * ROW + 10,
    bars.join('\n'),
    'requests per second',
  );
}

const DELAYS = [
  ['delayP50Ms', 'p50'],
  ['delayP99Ms', 'p99'],
  ['delayMaxMs', 'max'],
] as const;

/**
 * The event loop's heartbeat: per strategy its delay at p50, p99 and worst,
 * and the ticks it missed. On a log scale: the blocked loop's delay is
 * hundreds of times the others', which a linear scale would draw as nothing.
 */
export function delayChart(records: MatrixRecord[]): string {
  const rows = records.filter((r) => DELAYS.every(([key]) => num(r[key]) !== null));
  if (rows.length === 0) return '';
  const top = Math.max(...rows.flatMap((r) => DELAYS.map(([key]) => num(r[key])!)), 1);
  const floor = 0.1;
  const scale = (v: number) =>
    (Math.log10(Math.max(v, floor) / floor) / Math.log10((top * 1.5) / floor)) * BARS;
  const group = 3 * 14 + 12;
  const bars = rows.map((r, i) => {
    const y = 5 + i * group;
    const lines = DELAYS.map(([key, name], k) => {
      const value = num(r[key])!;
      const width = Math.max(1, scale(value));
      const by = y + k * 14;
      return `<rect class="${name} ${r.language}" x="${LABEL}" y="${by}" width="${width.toFixed(1)}" height="11"></rect><text class="value" x="${LABEL + width + 6}" y="${by + 10}">${name} ${ms(value)}</text>`;
    }).join('');
    const missed = num(r.ticksMissed);
    return `<g class="bar" ${ids(r)} data-ticks-missed="${missed ?? ''}" data-p99="${num(r.delayP99Ms)}">${rowLabel(r, y + 8)}${lines}${
      missed === null
        ? ''
        : `<text class="outcome" x="${LABEL + BARS + 110}" y="${y + 24}">${missed} tick${missed === 1 ? '' : 's'} missed</text>`
    }</g>`;
  });
  return svg(
    'delays',
    LABEL + BARS + 260,
    rows.length * group + 6,
    bars.join('\n'),
    'heartbeat delay per strategy',
  );
}

const timings = (r: MatrixRecord): RequestTiming[] | null => {
  const list = r.requests;
  if (!Array.isArray(list) || list.length === 0) return null;
  const valid = list.every(
    (t) =>
      Array.isArray(t) &&
      t.length === 3 &&
      typeof t[0] === 'number' &&
      (t[1] === null || typeof t[1] === 'number') &&
      typeof t[2] === 'number',
  );
  return valid ? (list as RequestTiming[]) : null;
};

/**
 * Each download strategy's requests as a waterfall: one thin bar per site,
 * from its request's start to its last byte (lighter until the first byte),
 * all on one time axis, so the shapes compare: one at a time is a staircase,
 * a pool of C comes in waves of C, all at once is a single column.
 */
export function waterfalls(records: MatrixRecord[]): string {
  const drawn = records.flatMap((r) => {
    const list = timings(r);
    return list ? [{ r, list }] : [];
  });
  if (drawn.length === 0) return '';
  const span = Math.max(...drawn.flatMap(({ list }) => list.map((t) => t[2])), 1e-9);
  const width = 480;
  const left = 4;
  const figures = drawn.map(({ r, list }) => {
    const bar = Math.max(1, Math.min(4, Math.floor(240 / list.length)));
    const step = bar + 1;
    const x = (v: number) => (left + (v / span) * (width - 2 * left)).toFixed(1);
    const rows = list
      .map(([start, first, end], i) => {
        const y = 4 + i * step;
        const wait =
          first === null
            ? `<rect class="request failed" x="${x(start)}" y="${y}" width="${Math.max(0.5, Number(x(end)) - Number(x(start))).toFixed(1)}" height="${bar}"></rect>`
            : `<rect class="request wait" x="${x(start)}" y="${y}" width="${Math.max(0.5, Number(x(first)) - Number(x(start))).toFixed(1)}" height="${bar}"></rect><rect class="body ${r.language}" x="${x(first)}" y="${y}" width="${Math.max(0.5, Number(x(end)) - Number(x(first))).toFixed(1)}" height="${bar}"></rect>`;
        return `<g class="site"><title>site ${i}: ${ms(start)} to ${ms(end)}</title>${wait}</g>`;
      })
      .join('');
    const height = 4 + list.length * step + 18;
    const axis = `<line class="axis" x1="${left}" x2="${width - left}" y1="${height - 16}" y2="${height - 16}"></line><text x="${left}" y="${height - 3}">0</text><text x="${width - left}" y="${height - 3}" text-anchor="end">${ms(span)}</text>`;
    const last = Math.max(...list.map((t) => t[2]));
    return `<figure class="waterfall" ${ids(r)} data-requests="${list.length}">
<figcaption>${esc(label(r))}: ${list.length} requests, the last byte at ${ms(last)}</figcaption>
${svg('waterfall', width, height, `${rows}${axis}`, `requests of ${label(r)}`)}
</figure>`;
  });
  return `<div class="waterfalls">${figures.join('\n')}</div>`;
}
