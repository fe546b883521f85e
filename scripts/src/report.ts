// pnpm report (and pnpm matrix --report): one self-contained HTML page: the
// matrix as charts, each workload in the measure its lesson is about (lost
// updates, heartbeat delay, speedups beside the model's prediction, each
// download's requests as a waterfall), Node.js beside Python wherever Python
// ran, the machine it ran on, and every family's sources side by side, each
// TypeScript variant beside the Python original it re-creates. No script, no
// network: it opens anywhere.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { option, parseOptions, runCli, UsageError } from '@lab/harness';
import {
  delayChart,
  inFlightChart,
  label,
  lostChart,
  ms,
  opsChart,
  probeChart,
  rateChart,
  serveChart,
  speedupChart,
  tailChart,
  timeChart,
  waterfalls,
} from './charts.ts';
import { escapeHtml as esc, highlight } from './highlight.ts';
import { examples, fixes, workload } from './lab.ts';
import { faster, nodeAgainstPython } from './lessons.ts';
import type { Chart } from './manifest.ts';
import { fromHere, repoRoot, resultsDir, shown } from './paths.ts';
import { checkMatrix, type Matrix, type MatrixRecord } from './types.ts';

export interface Variant {
  /** The TypeScript file, relative to the repository root (or absolute). */
  ts: string;
  /** The Python original it re-creates, if the notes have one. */
  python?: string;
}

export interface Family {
  title: string;
  lesson: string;
  /** Left to right in reading order: each TypeScript variant beside its Python original. */
  variants: Variant[];
}

/** Every group's sources, in reading order: each lesson file beside the Python original it re-creates. */
export function families(): Family[] {
  const list = examples();
  const seen = new Set<string>();
  return list.flatMap((first) => {
    const id = first.lab.workload;
    const family = workload(id)?.group.family;
    if (seen.has(id) || !family) return [];
    seen.add(id);
    const variants = list
      .filter((e) => e.lab.workload === id)
      .flatMap((e) =>
        e.lab.sources.map((s) => ({
          ts: relative(repoRoot, join(e.dir, s.ts)),
          ...(s.python ? { python: relative(repoRoot, join(e.dir, s.python)) } : {}),
        })),
      );
    return [{ ...family, variants }];
  });
}

/** What a workload's speedups are measured against, named as the reader sees it in the table. */
const baselineName = (id: string) => {
  const b = workload(id)?.group.baseline;
  if (!b) return null;
  return b.python ? `${b.node} (${b.python} for Python)` : b.node;
};

/**
 * Where to watch this workload's examples run, live. `pnpm lab` serves this
 * page too (at /report), and marks it as served there (data-opened="lab" on
 * <html>): then each example is a link to the lab page with it selected,
 * /#<example>. Opened as a file there is no lab at that address, so the page
 * shows the command instead, and the fragment to open at the address it prints.
 */
function liveLinks(id: string, records: MatrixRecord[]): string {
  const names = [
    ...new Set(
      (workload(id)?.examples ?? [])
        .map((e) => e.name)
        .filter((name) => records.some((r) => r.example === name)),
    ),
  ];
  if (names.length === 0) return '';
  const links = names.map(
    (name) => `<a class="live" href="/#${esc(name)}" data-example="${esc(name)}">${esc(name)}</a>`,
  );
  const fragments = names.map(
    (name) => `<code class="live" data-example="${esc(name)}">#${esc(name)}</code>`,
  );
  return `<p class="live"><span class="in-lab">Watch it live in the lab: ${links.join(' or ')}.</span><span class="as-file">Watch it live: <code>pnpm lab</code>, then open the address it prints with ${fragments.join(' or ')}.</span></p>`;
}

function section(id: string, records: MatrixRecord[]): string {
  const group = workload(id)?.group;
  const repeats = Math.max(...records.map((r) => r.repeats));
  const ideals = records.some((r) => r.idealMs !== null);
  const parts: string[] = [`<h2>${esc(group?.title ?? id)}</h2>`, liveLinks(id, records)];
  // A chart under its heading, when the records have something to draw.
  const chart = (heading: string, svg: string | null | undefined) => {
    if (svg) parts.push(`<h3>${heading}</h3>`, svg);
  };
  const baseline = baselineName(id);
  const draw: Record<Chart, () => void> = {
    lost: () =>
      chart(
        'Lost updates: the increments each strategy counted, and the ones it lost (red), of those expected',
        lostChart(records),
      ),
    // The fixes, as their manifests name them, in either language.
    fixes: () =>
      chart(
        'The fixes: exact or not, and increments per second',
        opsChart(records.filter((r) => fixes(id).has(r.strategy))),
      ),
    delays: () =>
      chart(
        `Heartbeat delay (log scale) and ticks missed. The baseline is ${esc(group?.baseline?.node ?? '')}: the whole job on the loop, so the heartbeat waits for all of it; the others are the fixes`,
        delayChart(records),
      ),
    waterfall: () =>
      chart(
        'Each request, one thin bar per site from its start to its last byte (lighter until the first byte), all on one time axis',
        waterfalls(records),
      ),
    // Each timeouts strategy proves a claim; its time is not the lesson.
    'in-flight': () =>
      chart(
        'Requests in flight at the server against time, per timeout: a line that does not fall to zero at the deadline is work left running',
        inFlightChart(records),
      ),
    tail: () =>
      chart(
        "Each request's latency, sorted: one server each, against asking both and cancelling the loser (hedged)",
        tailChart(records),
      ),
    proofs: () => {
      const proofs = records
        .filter((r) => typeof r.proof === 'string')
        .map(
          (r) =>
            `<tr data-strategy="${esc(r.strategy)}"><td>${esc(label(r))}</td><td>${esc(String(r.proof))}</td></tr>`,
        );
      if (proofs.length > 0) {
        parts.push(
          `<div class="scroll"><table><thead><tr><th>strategy</th><th>what the run measured</th></tr></thead><tbody>${proofs.join('')}</tbody></table></div>`,
        );
      }
    },
    // A rate, measured against one server in one run; wrk's time is only how long it was told to run.
    rate: () =>
      parts.push(
        `<h3>Requests per second (median of ${repeats}); wrk, a client written in C, marks what this server and loopback can serve</h3>`,
        rateChart(records),
      ),
    // Rates against their models, and who else waited: its time is only how long each run took.
    routes: () =>
      chart(
        "Requests per second against connections, per route (both axes logarithmic); the dashed line is the model, Little's law: min(C, slots) / L",
        serveChart(records),
      ),
    probe: () =>
      chart(
        '/ping sent every 10 ms beside each route: its p99 (log scale), at the most connections run',
        probeChart(records),
      ),
    time: () =>
      parts.push(
        `<h3>Time (median of ${repeats}${ideals ? '; the red line marks the ideal' : ''})</h3>`,
        timeChart(records),
      ),
    speedup: () => {
      const speedups = records.filter((r) => r.speedup !== null);
      if (!baseline || speedups.length === 0) return;
      const predicted = speedups.some((r) => typeof r.predictedSpeedup === 'number');
      parts.push(
        `<h3>Speedup against each language's own baseline run, ${esc(baseline)}; the grey line is 1x${predicted ? ", the purple mark the model's prediction" : ''}</h3>`,
        speedupChart(speedups, records),
      );
    },
  };
  // A workload no manifest describes gets the time chart, and its speedups if it has a baseline.
  for (const name of group?.charts ?? (['time', 'speedup'] as const)) draw[name]();
  return `<section class="workload" data-workload="${esc(id)}">\n${parts.join('\n')}\n</section>`;
}

function charts(matrix: Matrix): string {
  const workloads = [...new Set(matrix.results.map((r) => r.workload))];
  return workloads
    .map((w) =>
      section(
        w,
        matrix.results.filter((r) => r.workload === w),
      ),
    )
    .join('\n');
}

/** Node against Python, job for job: the one place the two languages' times are set against each other. */
function languages(matrix: Matrix): string {
  const pairs = nodeAgainstPython(matrix.results);
  if (pairs.length === 0) return '';
  const rows = pairs
    .map(
      (p) =>
        `<tr data-workload="${p.workload}" data-ratio="${p.ratio}"><td>${esc(p.workload)}</td><td>${esc(label(p.node))}</td><td>${esc(label(p.python))}</td><td class="num">${ms(p.node.wallMs)}</td><td class="num">${ms(p.python.wallMs)}</td><td>${esc(faster(p.ratio))}</td></tr>`,
    )
    .join('\n');
  return `<section class="languages"><h2>Node.js against Python, the same job</h2>
<p>The speedups above compare each language with its own baseline run; this compares the two languages' times, job for job.</p>
<div class="scroll"><table><thead><tr><th>workload</th><th>Node.js</th><th>Python</th><th>Node time</th><th>Python time</th><th>Python time / Node time</th></tr></thead>
<tbody>${rows}</tbody></table></div></section>`;
}

async function pane(file: string): Promise<string> {
  const source = readFileSync(resolve(repoRoot, file), 'utf8');
  const language = file.endsWith('.py') ? 'py' : 'ts';
  return `<figure class="pane ${language}" data-file="${esc(file)}">
<figcaption>${esc(file)}${language === 'py' ? ' <em>(Python)</em>' : ''}</figcaption>
${await highlight(source, language)}
</figure>`;
}

async function panes(families: Family[]): Promise<string> {
  const exists = (file: string | undefined) =>
    file !== undefined && existsSync(resolve(repoRoot, file));
  const out: string[] = [];
  for (const family of families) {
    const rows: string[] = [];
    for (const variant of family.variants) {
      // Each variant beside its Python original: two columns on a wide screen, one above the other on a phone.
      const files = [variant.ts, variant.python].filter(exists) as string[];
      if (files.length === 0) continue;
      const figures = await Promise.all(files.map(pane));
      rows.push(`<div class="pair">${figures.join('\n')}</div>`);
    }
    out.push(
      `<section class="family"><h2>${esc(family.title)}</h2><p>${esc(family.lesson)}</p>${rows.join('\n')}</section>`,
    );
  }
  return out.join('\n');
}

/**
 * How the page is marked when written: opened as a file. The lab serves it
 * with this replaced by data-opened="lab" (scripts/lab/server.ts), and the
 * live links show instead of the command.
 */
export const OPENED_AS_FILE = 'data-opened="file"';

const STYLE = `
* { box-sizing: border-box; }
html[data-opened="file"] .live .in-lab, html[data-opened="lab"] .live .as-file { display: none; }
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; padding: 0 1rem; max-width: 1600px; color: #1d1d1f; }
h1 { margin-bottom: 0.2rem; } h2 { margin-top: 2.2rem; } h3 { font-size: 0.95rem; color: #555; font-weight: 600; }
.machine, .legend { color: #555; }
svg.chart { display: block; max-width: 100%; height: auto; }
svg.chart text { font: 12px system-ui, sans-serif; fill: #1d1d1f; }
svg.chart .node { fill: #3d7bd9; } svg.chart .python { fill: #e0a526; } svg.chart .wrk { fill: #888; }
svg.chart rect.lost, svg.chart rect.failed { fill: #c0392b; }
svg.chart rect.p50 { opacity: 0.45; } svg.chart rect.p99 { opacity: 0.75; }
svg.chart rect.wait { fill: #7f93ad; }
svg.chart line.ideal { stroke: #c0392b; stroke-width: 2; }
svg.chart path.measured { fill: none; stroke-width: 2; } svg.chart path.model { fill: none; stroke-width: 1.5; stroke-dasharray: 5 4; } svg.chart line.model { stroke-width: 2; }
svg.chart .server-0 { stroke: #3d7bd9; fill: #3d7bd9; } svg.chart .server-1 { stroke: #7d3c98; fill: #7d3c98; } svg.chart .server-2 { stroke: #e0a526; fill: #e0a526; } svg.chart .server-3 { stroke: #1e9e6a; fill: #1e9e6a; } svg.chart .server-4 { stroke: #c0392b; fill: #c0392b; }
svg.chart path.measured.server-0, svg.chart path.model.server-0, svg.chart path.measured.server-1, svg.chart path.model.server-1, svg.chart path.measured.server-2, svg.chart path.model.server-2, svg.chart path.measured.server-3, svg.chart path.model.server-3, svg.chart path.measured.server-4, svg.chart path.model.server-4 { fill: none; }
svg.chart text.title { font-weight: 600; }
svg.chart line.predicted { stroke: #7d3c98; stroke-width: 3; } svg.chart text.predicted { fill: #7d3c98; }
svg.chart line.one { stroke: #888; stroke-dasharray: 3 3; } svg.chart line.axis { stroke: #888; }
svg.chart text.outcome { fill: #555; }
svg.chart g.shortfall rect { stroke: #c0392b; stroke-width: 2; }
ul.shortfalls { color: #8a2a1f; font-size: 0.9rem; }
.swatch { display: inline-block; width: 0.9rem; height: 0.9rem; vertical-align: -0.1rem; margin-left: 0.8rem; }
.swatch.node { background: #3d7bd9; } .swatch.python { background: #e0a526; } .swatch.ideal { width: 3px; background: #c0392b; }
.swatch.predicted { width: 3px; background: #7d3c98; }
.waterfalls { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 24rem), 1fr)); gap: 1rem; }
.waterfall { margin: 0; } .waterfall figcaption { font-size: 0.85rem; color: #555; }
.scroll { max-width: 100%; overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.9rem; } td, th { padding: 0.2rem 0.6rem; border-bottom: 1px solid #eee; text-align: left; } td.num { text-align: right; }
.pair { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 32rem), 1fr)); gap: 1rem; margin-bottom: 1rem; align-items: start; }
.pane { margin: 0; min-width: 0; border: 1px solid #ddd; border-radius: 6px; overflow: hidden; }
.pane.py { border-color: #e0c27a; }
.pane figcaption { font: 12px ui-monospace, monospace; padding: 0.3rem 0.6rem; background: #f4f4f6; overflow-wrap: anywhere; }
.pane.py figcaption { background: #fbf3e0; }
.pane pre { margin: 0; padding: 0.6rem; font: 12px/1.4 ui-monospace, monospace; white-space: pre-wrap; overflow-wrap: anywhere; }
`;

/** Write the report for a matrix; returns the file written. */
export async function writeReport(
  matrix: Matrix,
  options: { families?: Family[]; file?: string } = {},
): Promise<string> {
  const m = matrix.machine;
  const has = (test: (r: MatrixRecord) => boolean) => matrix.results.some(test);
  // The legend names only what is drawn: Python where Python ran, the ideal and the prediction where some record has one.
  const legend = [
    '<span class="swatch node"></span> Node.js',
    has((r) => r.language === 'python') ? '<span class="swatch python"></span> Python' : '',
    has((r) => r.idealMs !== null)
      ? '<span class="swatch ideal"></span> the ideal: the time the model says the work alone would take'
      : '',
    has((r) => typeof r.predictedSpeedup === 'number')
      ? `<span class="swatch predicted"></span> the model's predicted speedup`
      : '',
  ]
    .filter(Boolean)
    .join(' ');
  const html = `<!doctype html>
<html lang="en" ${OPENED_AS_FILE}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>concurrency-lab: what each kind of concurrency buys</title>
<style>${STYLE}</style>
</head>
<body>
<h1>concurrency-lab</h1>
<p class="machine">Measured on ${esc(m.cpuModel)}, ${m.cpus} CPUs, ${m.memoryGb} GB, ${esc(m.os)}; Node ${esc(m.node)}${m.python ? `; ${esc(m.python)}` : ''}${matrix.quick ? ' (quick matrix)' : ''}.</p>
<p class="legend">${legend}</p>
${charts(matrix)}
${languages(matrix)}
<h2>The sources, side by side</h2>
${await panes(options.families ?? families())}
</body>
</html>
`;
  const file = options.file ?? join(resultsDir, 'report.html');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, html);
  return file;
}

/**
 * `pnpm matrix -- --quick --out FILE`, its table and notes on stderr (stdout
 * stays the report's own lines); resolves with its exit code.
 */
function runQuickMatrix(file: string, signal: AbortSignal): Promise<number> {
  const script = join(import.meta.dirname, 'matrix.ts');
  const child = spawn(process.execPath, [script, '--quick', '--out', file], {
    stdio: ['ignore', process.stderr, process.stderr],
  });
  // Ctrl-C at a terminal reaches the matrix itself (one process group); a
  // signal sent to this process alone is passed on if the matrix still runs.
  let passOn: NodeJS.Timeout | undefined;
  const onAbort = () => {
    passOn = setTimeout(() => child.kill('SIGINT'), 500);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      signal.removeEventListener('abort', onAbort);
      clearTimeout(passOn);
      resolve(code ?? 1);
    });
  });
}

const usage =
  'Usage: pnpm report [-- options]\nWrites an HTML page from a matrix: charts of every workload, and the sources side by side.\nWith no results/matrix.json yet (and no --matrix), it runs the quick matrix first.';
const spec = {
  matrix: option.path('the matrix to draw (default results/matrix.json)'),
  out: option.path('where to write the page (default: report.html beside the matrix)'),
};

if (import.meta.main) {
  runCli('report', async ({ signal }) => {
    const values = parseOptions(process.argv.slice(2), spec, usage);
    const source = values.matrix ? fromHere(values.matrix) : join(resultsDir, 'matrix.json');
    if (!existsSync(source) && values.matrix) {
      throw new UsageError(`no ${shown(source)}: run pnpm matrix first, or give --matrix FILE`);
    }
    if (!existsSync(source)) {
      // A fresh clone: nothing measured yet. Measure the small version first, saying so.
      console.error(
        `report: no ${shown(source)} yet, so running the quick matrix first (pnpm matrix -- --quick, about half a minute; pnpm matrix measures the full one)`,
      );
      const code = await runQuickMatrix(source, signal);
      if (signal.aborted) return 130;
      if (!existsSync(source)) {
        console.error(`report: the quick matrix wrote no ${shown(source)} (exit code ${code})`);
        return 1;
      }
    }
    let matrix: unknown;
    try {
      matrix = JSON.parse(readFileSync(source, 'utf8'));
    } catch (error) {
      throw new UsageError(`${shown(source)} is not JSON: ${(error as Error).message}`);
    }
    const problems = checkMatrix(matrix);
    if (problems.length > 0) {
      throw new UsageError(`${shown(source)} is not a matrix: ${problems[0]}`);
    }
    const out = values.out ? fromHere(values.out) : join(dirname(source), 'report.html');
    const file = await writeReport(matrix as Matrix, { file: out });
    console.log(`wrote ${shown(file)}`);
    return 0;
  });
}
