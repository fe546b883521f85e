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

const rowLabel = (r: MatrixRecord, y: number, text = label(r)) =>
  `<text x="${LABEL - 8}" y="${y + 14}" text-anchor="end">${esc(text)}</text>`;

/** One row of a bar chart: what it carries, and what it draws beside its label. */
interface Bar {
  /** Its data-* attributes, after the record's own (ids). */
  data: string;
  /** A class beside "bar" (a shortfall). */
  className?: string;
  /** The row's label, when it is not the record's. */
  label?: string;
  /** Its rectangles and texts. */
  body: string;
}

/**
 * The bar charts' one skeleton: a row per record, its label at the left, the
 * bar and its number after it, each row tied to its record by data-*
 * attributes; `overlay` draws across every row (the 1x line).
 */
function barChart(
  kind: string,
  title: string,
  width: number,
  rows: MatrixRecord[],
  bar: (r: MatrixRecord, y: number) => Bar,
  overlay: (height: number) => string = () => '',
): string {
  const height = rows.length * ROW + 10;
  const bars = rows.map((r, i) => {
    const y = 5 + i * ROW;
    const b = bar(r, y);
    return `<g class="bar${b.className ?? ''}" ${ids(r)} ${b.data}>${rowLabel(r, y, b.label)}
  ${b.body}</g>`;
  });
  return svg(kind, width, height, `${bars.join('\n')}${overlay(height)}`, title);
}

/** A bar from the labels' edge, `length` long, in its language's colour, its number after it. */
const valueBar = (r: MatrixRecord, y: number, length: number, text: string) =>
  `<rect class="${r.language}" x="${LABEL}" y="${y}" width="${length.toFixed(1)}" height="18"></rect>
  <text class="value" x="${LABEL + length + 6}" y="${y + 14}">${text}</text>`;

/** Time per strategy, the ideal marked as a line where the record has one, each run's result beside it. */
export function timeChart(records: MatrixRecord[]): string {
  const max = Math.max(...records.map((r) => Math.max(r.wallMs, r.idealMs ?? 0)), 1e-9);
  const outcomeX = LABEL + BARS + 90;
  const x = (v: number) => (LABEL + (v / max) * BARS).toFixed(1);
  return barChart('time', 'time per strategy', outcomeX + 260, records, (r, y) => {
    const width = Math.max(1, (r.wallMs / max) * BARS);
    const ideal =
      r.idealMs === null
        ? ''
        : `<line class="ideal" x1="${x(r.idealMs)}" x2="${x(r.idealMs)}" y1="${y - 2}" y2="${y + 20}"><title>ideal ${ms(r.idealMs)}</title></line>`;
    const result = outcome(r);
    return {
      data: `data-value="${r.wallMs}"`,
      body: `${valueBar(r, y, width, ms(r.wallMs))}${ideal}${
        result ? `<text class="outcome" x="${outcomeX}" y="${y + 14}">${esc(result)}</text>` : ''
      }`,
    };
  });
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
  const chart = barChart(
    'speedup',
    'speedup per strategy',
    LABEL + BARS + 190,
    rows,
    (r, y) => {
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
      return {
        data: `data-value="${value}"`,
        className: short ? ' shortfall' : '',
        body: `${valueBar(r, y, width, `${value.toFixed(2)}x${short ? ' !' : ''}`)}${marker}`,
      };
    },
    (height) =>
      `<line class="one" x1="${x(1)}" x2="${x(1)}" y1="0" y2="${height}"><title>1x: as fast as the baseline</title></line>`,
  );
  return notes.length === 0 ? chart : `${chart}\n<ul class="shortfalls">${notes.join('\n')}</ul>`;
}

/** A race's lost updates: per strategy, the increments kept and the ones lost, out of those expected. */
export function lostChart(records: MatrixRecord[]): string {
  const rows = records.filter((r) => num(r.expected) !== null && num(r.lost) !== null);
  if (rows.length === 0) return '';
  return barChart('lost', 'lost updates per strategy', LABEL + BARS + 330, rows, (r, y) => {
    const expected = num(r.expected)!;
    const lost = num(r.lost)!;
    const kept = expected - lost;
    const keptWidth = expected > 0 ? (kept / expected) * BARS : 0;
    const lostWidth = expected > 0 ? (lost / expected) * BARS : 0;
    const text =
      lost === 0
        ? `exact: ${count(kept)} of ${count(expected)}`
        : `lost ${count(lost)} of ${count(expected)} (${((lost / expected) * 100).toFixed(1)}%)`;
    return {
      data: `data-expected="${expected}" data-lost="${lost}" data-actual="${num(r.actual) ?? kept}"`,
      body: `<rect class="kept ${r.language}" x="${LABEL}" y="${y}" width="${keptWidth.toFixed(1)}" height="18"></rect>
  <rect class="lost" x="${(LABEL + keptWidth).toFixed(1)}" y="${y}" width="${lostWidth.toFixed(1)}" height="18"></rect>
  <text class="value" x="${LABEL + BARS + 8}" y="${y + 14}">${esc(text)}</text>`,
    };
  });
}

/**
 * One measure of each record that has it, on a linear scale from 0: each bar
 * as long as its share of the largest; `bar` says its data-* attributes and
 * the words after it.
 */
function measureChart(
  records: MatrixRecord[],
  key: 'opsPerSec' | 'reqPerSec',
  chart: { kind: string; title: string; width: number },
  bar: (value: number, r: MatrixRecord) => { data: string; text: string },
): string {
  const rows = records.filter((r) => num(r[key]) !== null);
  if (rows.length === 0) return '';
  const max = Math.max(...rows.map((r) => num(r[key])!), 1);
  return barChart(chart.kind, chart.title, chart.width, rows, (r, y) => {
    const value = num(r[key])!;
    const { data, text } = bar(value, r);
    return { data, body: valueBar(r, y, Math.max(1, (value / max) * BARS), text) };
  });
}

/** The fixes: exact or not, and how many increments a second each managed. */
export function opsChart(records: MatrixRecord[]): string {
  const chart = { kind: 'ops', title: 'increments per second', width: LABEL + BARS + 260 };
  return measureChart(records, 'opsPerSec', chart, (ops, r) => {
    const lost = num(r.lost) ?? 0;
    const exact = lost === 0 ? 'exact' : `NOT exact: lost ${count(lost)}`;
    return {
      data: `data-value="${ops}" data-exact="${lost === 0}"`,
      text: `${count(ops)}/s · ${esc(exact)}`,
    };
  });
}

/** Requests per second per client, the loopback bound (wrk) among them: the throughput benchmark. */
export function rateChart(records: MatrixRecord[]): string {
  const chart = { kind: 'rate', title: 'requests per second', width: LABEL + BARS + 200 };
  return measureChart(records, 'reqPerSec', chart, (rate) => ({
    data: `data-value="${rate}"`,
    text: `${count(rate)} requests/s`,
  }));
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

/** A server's rows: one route of one server at one connection count. */
const serveRows = (records: MatrixRecord[]) =>
  records.filter(
    (r) => typeof r.route === 'string' && num(r.connections) !== null && num(r.reqPerSec) !== null,
  );

/**
 * A server under load: requests per second against connections, one small chart per
 * route, a line per server (Node, Node with libuv cut to one thread,
 * FastAPI) and its model as a dashed line of the same colour. Both axes are
 * logarithmic: waiting grows with C from ten to thousands, blocking stays at
 * 1/L, and a straight line is what C/L looks like.
 */
export function serveChart(records: MatrixRecord[]): string {
  const rows = serveRows(records);
  if (rows.length === 0) return '';
  const routes = [...new Set(rows.map((r) => String(r.route)))];
  const servers = [...new Set(rows.map((r) => String(r.server ?? r.language)))];
  // One colour per server whatever else ran: Node, Node with libuv cut to one
  // thread, FastAPI, and each on several processes ("node x2", "fastapi x2").
  const colour = (server: string) => {
    const many = /\bx\d+$/.test(server);
    if (server.startsWith('fastapi')) return many ? 'server-4' : 'server-2';
    if (server.includes('uv')) return 'server-1';
    return many ? 'server-3' : 'server-0';
  };
  const counts = [...new Set(rows.map((r) => num(r.connections)!))].sort((a, b) => a - b);
  const values = rows
    .flatMap((r) => [num(r.reqPerSec)!, num(r.modelReqPerSec) ?? 0])
    .filter((v) => v > 0);
  const low = Math.min(...values, 1) / 1.5;
  const high = Math.max(...values, 10) * 1.5;
  const [w, h, pad] = [250, 150, 50];
  const x = (c: number) =>
    pad +
    (counts.length === 1 ? 0.5 : Math.log(c / counts[0]!) / Math.log(counts.at(-1)! / counts[0]!)) *
      (w - pad - 10);
  const y = (v: number) =>
    10 + (1 - Math.log(Math.max(v, low) / low) / Math.log(high / low)) * (h - 40);
  const path = (points: [number, number][]) =>
    points.map(([c, v], i) => `${i ? 'L' : 'M'}${x(c).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const panels = routes.map((route, k) => {
    const lines = servers.flatMap((server) => {
      const s = colour(server);
      const mine = rows
        .filter((r) => r.route === route && String(r.server ?? r.language) === server)
        .sort((a, b) => num(a.connections)! - num(b.connections)!);
      if (mine.length === 0) return [];
      const measured = mine.map(
        (r) => [num(r.connections)!, num(r.reqPerSec)!] as [number, number],
      );
      const modelled = mine.flatMap((r) =>
        num(r.modelReqPerSec) === null
          ? []
          : [[num(r.connections)!, num(r.modelReqPerSec)!] as [number, number]],
      );
      const dots = mine
        .map(
          (r) =>
            `<circle class="${s} ${r.language}" cx="${x(num(r.connections)!).toFixed(1)}" cy="${y(num(r.reqPerSec)!).toFixed(1)}" r="3" ${ids(r)} data-value="${num(r.reqPerSec)}"><title>${esc(server)} ${esc(route)} c=${num(r.connections)}: ${count(num(r.reqPerSec)!)} req/s${num(r.modelReqPerSec) === null ? '' : `, model ${count(num(r.modelReqPerSec)!)}`}</title></circle>`,
        )
        .join('');
      // The model as a dashed line, and a dash at each count (one count alone draws no line).
      const marks = modelled
        .map(
          ([c, v]) =>
            `<line class="model ${s}" x1="${(x(c) - 8).toFixed(1)}" x2="${(x(c) + 8).toFixed(1)}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}"></line>`,
        )
        .join('');
      const model =
        modelled.length > 0 ? `<path class="model ${s}" d="${path(modelled)}"></path>${marks}` : '';
      return [`<path class="measured ${s}" d="${path(measured)}"></path>${model}${dots}`];
    });
    const decades = [1, 10, 100, 1000, 10_000, 100_000].filter((v) => v > low && v < high);
    const axis = [
      ...counts.map(
        (c) => `<text x="${x(c).toFixed(1)}" y="${h - 14}" text-anchor="middle">${c}</text>`,
      ),
      ...decades.map(
        (v) =>
          `<text x="${pad - 4}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${count(v)}</text>`,
      ),
    ].join('');
    return `<g class="panel" data-route="${esc(route)}" transform="translate(${(k % 3) * (w + 20)},${Math.floor(k / 3) * (h + 10)})"><text x="${pad}" y="8" class="title">${esc(route)}</text>${axis}<text x="${w - 10}" y="${h - 2}" text-anchor="end">connections</text>${lines.join('')}</g>`;
  });
  // The legend, two servers a line.
  const legendTop = Math.ceil(routes.length / 3) * (h + 10) + 14;
  const legend = servers
    .map(
      (server, i) =>
        `<text class="${colour(server)}" x="${(i % 2) * 400}" y="${legendTop + Math.floor(i / 2) * 16}">${esc(server)}: measured (solid), model (dashed)</text>`,
    )
    .join('');
  return svg(
    'routes',
    3 * (w + 20),
    legendTop + Math.ceil(servers.length / 2) * 16,
    `${panels.join('\n')}${legend}`,
    'requests per second against connections, per route',
  );
}

/**
 * The probe beside a server under load: /ping's p99 while each route was under load, at the most
 * connections run, per server, on a log scale: waiting leaves it at a few
 * milliseconds, blocking the loop makes it wait about L and more.
 */
export function probeChart(records: MatrixRecord[]): string {
  const all = serveRows(records).filter((r) => num(r.probeP99Ms) !== null);
  if (all.length === 0) return '';
  const most = Math.max(...all.map((r) => num(r.connections)!));
  const rows = all.filter((r) => num(r.connections) === most);
  const top = Math.max(...rows.map((r) => num(r.probeP99Ms)!), 1);
  const floor = 0.5;
  const scale = (v: number) =>
    (Math.log10(Math.max(v, floor) / floor) / Math.log10((top * 1.5) / floor)) * BARS;
  return barChart(
    'probe',
    `/ping p99 under each route at ${most} connections`,
    LABEL + BARS + 160,
    rows,
    (r, y) => {
      const value = num(r.probeP99Ms)!;
      return {
        data: `data-value="${value}"`,
        label: `${r.server ?? r.language} ${r.route}`,
        body: valueBar(r, y, Math.max(1, scale(value)), `p99 ${ms(value)}`),
      };
    },
  );
}

/** A [ms, value] series a record carries (timeouts' inFlightSeries), or null. */
const series = (value: unknown): [number, number][] | null =>
  Array.isArray(value) && value.every((p) => Array.isArray(p) && p.length === 2)
    ? (value as [number, number][])
    : null;

/**
 * timeouts: the server's requests in flight against time, one line per
 * timeout, the deadline dashed. A timeout that stops the work falls to zero
 * at the deadline; the race's line stays up until the late answers, the work
 * it left running.
 */
export function inFlightChart(records: MatrixRecord[]): string {
  const drawn = records.filter((r) => series(r.inFlightSeries) && num(r.deadlineMs) !== null);
  if (drawn.length === 0) return '';
  const all = drawn.flatMap((r) => series(r.inFlightSeries)!);
  const deadline = Math.max(...drawn.map((r) => num(r.deadlineMs)!));
  const span = Math.max(...all.map(([t]) => t), deadline) * 1.05;
  const top = Math.max(...all.map(([, c]) => c), 1);
  const [w, h, left, bottom] = [640, 200, 40, 34];
  const x = (t: number) => (left + (Math.max(0, t) / span) * (w - left - 10)).toFixed(1);
  const y = (c: number) => (10 + (1 - c / top) * (h - bottom - 10)).toFixed(1);
  const lines = drawn.map((r, i) => {
    const steps = series(r.inFlightSeries)!;
    const d = [`M${x(0)},${y(0)}`, ...steps.map(([t, c]) => `H${x(t)} V${y(c)}`)].join(' ');
    const last = steps.at(-1)?.[0] ?? 0;
    return `<g class="line" ${ids(r)} data-in-flight-after="${num(r.inFlightAfter) ?? ''}"><path class="measured server-${i % 3}" d="${d}"><title>${esc(label(r))}: ${num(r.inFlightAfter) ?? '?'} in flight ${num(r.graceMs) ?? '?'} ms after the deadline, the last ended at ${ms(last)}</title></path><text class="server-${i % 3}" x="${left + i * 200}" y="${h - 2}">${esc(r.strategy)}</text></g>`;
  });
  const axis = `<line class="axis" x1="${left}" x2="${w - 10}" y1="${y(0)}" y2="${y(0)}"></line><text x="${left - 6}" y="${Number(y(top)) + 4}" text-anchor="end">${top}</text><text x="${left - 6}" y="${Number(y(0)) + 4}" text-anchor="end">0</text><text x="${w - 10}" y="${Number(y(0)) + 14}" text-anchor="end">${ms(span)}</text>`;
  const mark = `<line class="ideal" x1="${x(deadline)}" x2="${x(deadline)}" y1="10" y2="${y(0)}" stroke-dasharray="4 3"></line><text x="${Number(x(deadline)) + 4}" y="20">deadline ${ms(deadline)}</text>`;
  return svg(
    'in-flight',
    w,
    h,
    `${axis}${mark}${lines.join('\n')}`,
    'requests in flight at the server against time, per timeout',
  );
}

/**
 * timeouts: each request's latency, sorted (a quantile plot: x is the share
 * of requests, y the time they took), asking one server each against asking
 * both and keeping the first (hedged); the slow server's latency dashed.
 */
export function tailChart(records: MatrixRecord[]): string {
  const r = records.find((x) => Array.isArray(x.plainMs) && Array.isArray(x.hedgedMs));
  if (!r) return '';
  const ways = [
    ['one server each', r.plainMs as number[]],
    ['hedged', r.hedgedMs as number[]],
  ] as const;
  const slow = num(r.slowLatencyMs);
  const top = Math.max(...ways.flatMap(([, v]) => v), slow ?? 0, 1) * 1.05;
  const [w, h, left, bottom] = [640, 200, 70, 34];
  const x = (share: number) => (left + share * (w - left - 10)).toFixed(1);
  const y = (v: number) => (10 + (1 - v / top) * (h - bottom - 10)).toFixed(1);
  const lines = ways.map(([name, values], i) => {
    const sorted = [...values].sort((a, b) => a - b);
    const d = sorted
      .map((v, k) => `${k ? 'L' : 'M'}${x((k + 1) / sorted.length)},${y(v)}`)
      .join(' ');
    const p99 = sorted[Math.max(0, Math.ceil(0.99 * sorted.length) - 1)] ?? 0;
    return `<g class="line" data-way="${esc(name)}" data-p99="${p99}"><path class="measured server-${i}" d="${d}"><title>${esc(name)}: p99 ${ms(p99)}</title></path><text class="server-${i}" x="${left + i * 260}" y="${h - 2}">${esc(name)}: p99 ${ms(p99)}</text></g>`;
  });
  const axis = `<line class="axis" x1="${left}" x2="${w - 10}" y1="${y(0)}" y2="${y(0)}"></line><text x="${left - 6}" y="${Number(y(0)) + 4}" text-anchor="end">0</text><text x="${left - 6}" y="${Number(y(top / 1.05)) + 4}" text-anchor="end">${ms(top / 1.05)}</text><text x="${x(0.5)}" y="${Number(y(0)) + 14}" text-anchor="middle">50%</text><text x="${x(1)}" y="${Number(y(0)) + 14}" text-anchor="end">100% of ${ways[0][1].length} requests</text>`;
  const mark =
    slow === null
      ? ''
      : `<line class="ideal" x1="${left}" x2="${w - 10}" y1="${y(slow)}" y2="${y(slow)}" stroke-dasharray="4 3"></line><text x="${left + 4}" y="${Number(y(slow)) - 4}">the slow server's latency, ${ms(slow)}</text>`;
  return svg(
    'tail',
    w,
    h,
    `${axis}${mark}${lines.join('\n')}`,
    'latency of each request, sorted, with and without hedging',
  );
}
