// pnpm report (and pnpm matrix --report): one self-contained HTML page under
// results/: the matrix as charts, the machine it ran on, and every family's
// sources side by side, the notes' Python beside the TypeScript. No script,
// no network: it opens anywhere.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseOptions, runCli } from '@lab/harness';
import { escapeHtml, highlight } from './highlight.ts';
import type { Matrix, MatrixRecord } from './matrix.ts';
import { outcome } from './outcome.ts';
import { repoRoot, resultsDir } from './paths.ts';

export interface Family {
  title: string;
  lesson: string;
  /** Files relative to the repository root: the TypeScript variants left to right, then their Python originals in the same order. */
  files: string[];
}

export const FAMILIES: Family[] = [
  {
    title: 'Downloading sites: one at a time, a pool, all at once',
    lesson: 'The same downloadSite(); only who calls it, and how many at once, changes.',
    files: [
      'examples/sync-download/src/sync-download.ts',
      'examples/pool-download/src/pool-download.ts',
      'examples/async-download/src/async-download.ts',
      'examples/sync-download/python/sync_download.py',
      'examples/pool-download/python/thread_pool.py',
      'examples/async-download/python/async_download.py',
    ],
  },
  {
    title: 'A race and its fixes',
    lesson:
      'counter += 1 is a read, an add and a write; the fixes make it one step, one at a time, or not shared.',
    files: [
      'examples/racy-counter/src/racy-counter.ts',
      'examples/safe-counter/src/safe-counter.ts',
      'examples/racy-counter/python/racy_counter.py',
      'examples/safe-counter/python/safe_counter.py',
    ],
  },
  {
    title: 'CPU-bound work',
    lesson: 'async does not make computing faster; threads and processes use the cores.',
    files: [
      'examples/cpu-multiprocess/src/cpu-multiprocess.ts',
      'examples/cpu-multiprocess/python/cpu_multiprocess.py',
    ],
  },
  {
    title: 'Coroutines, tasks and task groups',
    lesson:
      'Awaiting in turn adds up; starting first overlaps; a group cancels the rest when one fails.',
    files: [
      'examples/async-basics/src/async-basics.ts',
      'examples/async-basics/python/async_basics.py',
    ],
  },
  {
    title: 'The event loop',
    lesson: 'A task gives up the loop only at an await: block it and everything waits.',
    files: ['examples/event-loop/src/event-loop.ts'],
  },
];

const WORKLOAD_TITLES: Record<string, string> = {
  io: 'I/O-bound: downloading sites',
  cpu: 'CPU-bound: sums of squares',
  race: 'Races and their fixes',
  loop: 'The event loop under CPU work',
  basics: 'say_after, three ways',
};

const label = (r: MatrixRecord) =>
  `${r.strategy} (${r.example}${r.language === 'python' ? ', Python' : ''})`;
const ms = (value: number) =>
  value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(1)} ms`;

/** A horizontal bar chart as inline SVG: one bar per record, the ideal marked where there is one. */
function chart(records: MatrixRecord[], kind: 'time' | 'speedup'): string {
  const values = records.map((r) => (kind === 'time' ? r.wallMs : (r.speedup ?? 0)));
  const ideals = records.map((r) => (kind === 'time' ? (r.idealMs ?? 0) : 0));
  const max = Math.max(...values, ...ideals, 1e-9);
  const rowHeight = 26;
  const labelWidth = 300;
  const barSpace = 420;
  // What each run came to (lost increments, missed ticks, peak in flight), in a column of its own.
  const outcomeX = labelWidth + barSpace + 90;
  const height = records.length * rowHeight + 10;
  const bars = records
    .map((r, i) => {
      const value = values[i]!;
      const y = 5 + i * rowHeight;
      const width = Math.max(1, (value / max) * barSpace);
      const text = kind === 'time' ? ms(value) : `${value.toFixed(2)}x`;
      const ideal =
        kind === 'time' && r.idealMs !== null
          ? `<line class="ideal" x1="${labelWidth + (r.idealMs / max) * barSpace}" x2="${labelWidth + (r.idealMs / max) * barSpace}" y1="${y - 2}" y2="${y + 20}"><title>ideal ${ms(r.idealMs)}</title></line>`
          : '';
      return `<g class="bar" data-strategy="${escapeHtml(r.strategy)}" data-example="${escapeHtml(r.example)}" data-value="${value}">
  <text x="${labelWidth - 8}" y="${y + 14}" text-anchor="end">${escapeHtml(label(r))}</text>
  <rect class="${r.language}" x="${labelWidth}" y="${y}" width="${width.toFixed(1)}" height="18"></rect>
  <text class="value" x="${labelWidth + width + 6}" y="${y + 14}">${text}</text>${ideal}${
    kind === 'time' && outcome(r)
      ? `\n  <text class="outcome" x="${outcomeX}" y="${y + 14}">${escapeHtml(outcome(r))}</text>`
      : ''
  }
</g>`;
    })
    .join('\n');
  return `<svg class="chart ${kind}" role="img" aria-label="${kind} per strategy" width="${outcomeX + (kind === 'time' ? 260 : 0)}" height="${height}" xmlns="http://www.w3.org/2000/svg">${bars}</svg>`;
}

function charts(matrix: Matrix): string {
  const workloads = [...new Set(matrix.results.map((r) => r.workload))];
  return workloads
    .map((workload) => {
      const records = matrix.results.filter((r) => r.workload === workload);
      const speedups = records.some((r) => r.speedup !== null);
      return `<section class="workload" data-workload="${escapeHtml(workload)}">
<h2>${escapeHtml(WORKLOAD_TITLES[workload] ?? workload)}</h2>
<h3>Time (median of ${records[0]?.repeats ?? 1}${records.some((r) => r.idealMs !== null) ? '; the line marks the ideal' : ''})</h3>
${chart(records, 'time')}
${
  speedups
    ? `<h3>Speedup against the same language's sequential run</h3>\n${chart(
        records.filter((r) => r.speedup !== null),
        'speedup',
      )}`
    : ''
}
</section>`;
    })
    .join('\n');
}

function panes(families: Family[]): string {
  return families
    .map((family) => {
      const present = family.files.filter((file) => existsSync(resolve(repoRoot, file)));
      const figures = present
        .map((file) => {
          const source = readFileSync(resolve(repoRoot, file), 'utf8');
          const language = file.endsWith('.py') ? 'py' : 'ts';
          return `<figure class="pane" data-file="${escapeHtml(file)}">
<figcaption>${escapeHtml(file)}${language === 'py' ? ' <em>(Python)</em>' : ''}</figcaption>
<pre><code>${highlight(source, language)}</code></pre>
</figure>`;
        })
        .join('\n');
      // One column per TypeScript variant; the Python originals, listed in the
      // same order, fill the row below, each under the variant it re-creates.
      const columns = Math.max(1, present.filter((file) => !file.endsWith('.py')).length);
      return `<section class="family"><h2>${escapeHtml(family.title)}</h2><p>${escapeHtml(family.lesson)}</p><div class="panes" style="--columns: ${columns}">${figures}</div></section>`;
    })
    .join('\n');
}

const STYLE = `
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem; color: #1d1d1f; }
h1 { margin-bottom: 0.2rem; } h2 { margin-top: 2.2rem; } h3 { font-size: 0.95rem; color: #555; }
.machine { color: #555; }
svg.chart text { font: 12px system-ui, sans-serif; fill: #1d1d1f; }
svg.chart rect.node { fill: #3d7bd9; } svg.chart rect.python { fill: #e0a526; }
svg.chart line.ideal { stroke: #c0392b; stroke-width: 2; }
svg.chart text.outcome { fill: #555; }
.legend { color: #555; font-size: 0.9rem; }
.swatch { display: inline-block; width: 0.9rem; height: 0.9rem; vertical-align: -0.1rem; margin-left: 0.8rem; }
.swatch.node { background: #3d7bd9; } .swatch.python { background: #e0a526; } .swatch.ideal { width: 3px; background: #c0392b; }
.panes { display: grid; grid-template-columns: repeat(var(--columns), minmax(30rem, 1fr)); gap: 1rem; overflow-x: auto; align-items: start; }
.pane { margin: 0; min-width: 0; border: 1px solid #ddd; border-radius: 6px; }
.pane figcaption { font: 12px ui-monospace, monospace; padding: 0.3rem 0.6rem; background: #f4f4f6; }
.pane pre { margin: 0; padding: 0.6rem; font: 12px/1.4 ui-monospace, monospace; overflow-x: auto; }
.c { color: #6a737d; font-style: italic; } .s { color: #22863a; } .k { color: #a626a4; font-weight: 600; }
`;

/** Write the report for a matrix; returns the file written. */
export function writeReport(
  matrix: Matrix,
  options: { families?: Family[]; file?: string } = {},
): string {
  const m = matrix.machine;
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>concurrency-lab: what each kind of concurrency buys</title>
<style>${STYLE}</style>
</head>
<body>
<h1>concurrency-lab</h1>
<p class="machine">Measured on ${escapeHtml(m.cpuModel)}, ${m.cpus} CPUs, ${m.memoryGb} GB, ${escapeHtml(m.os)}; Node ${escapeHtml(m.node)}${m.python ? `; ${escapeHtml(m.python)}` : ''}${matrix.quick ? ' (quick matrix)' : ''}.</p>
<p class="legend"><span class="swatch node"></span> Node.js <span class="swatch python"></span> Python <span class="swatch ideal"></span> the ideal: the time the model says the work alone would take</p>
${charts(matrix)}
<h2>The sources, side by side</h2>
${panes(options.families ?? FAMILIES)}
</body>
</html>
`;
  const file = options.file ?? join(resultsDir, 'report.html');
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, html);
  return file;
}

if (import.meta.main) {
  runCli('report', async () => {
    // No options: a stray flag is a mistake to name (exit 2), not to ignore.
    parseOptions(
      process.argv.slice(2),
      {},
      'Usage: pnpm report\nWrites results/report.html from results/matrix.json (run pnpm matrix first).',
    );
    const source = join(resultsDir, 'matrix.json');
    if (!existsSync(source))
      throw new Error(`no ${relative(process.cwd(), source)} yet: run pnpm matrix first`);
    const file = writeReport(JSON.parse(readFileSync(source, 'utf8')) as Matrix);
    console.log(`wrote ${file}`);
    return 0;
  });
}
