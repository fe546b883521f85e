import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeReport } from '../src/report.ts';
import type { Matrix, MatrixRecord } from '../src/types.ts';
import { haveChromium, launchChromium, needChromium } from './browser.ts';

needChromium("the report's browser test");

const record = (
  workload: MatrixRecord['workload'],
  strategy: string,
  wallMs: number,
  idealMs: number | null,
  speedup: number | null,
  extra: Record<string, unknown> = {},
): MatrixRecord =>
  ({
    example: `${workload}-example`,
    strategy,
    items: 10,
    failed: 0,
    bytes: 0,
    wallMs,
    idealMs,
    efficiency: idealMs === null ? null : idealMs / wallMs,
    speedup,
    node: 'v24.21.0',
    cpus: 2,
    workload,
    language: 'node',
    repeats: 3,
    spread: { minMs: wallMs * 0.9, maxMs: wallMs * 1.1 },
    ...extra,
  }) as MatrixRecord;

/** Ten downloads of 100 ms each, `at` a time: one at a time is a staircase, 5 at a time two waves, 10 one column. */
const requests = (at: number) =>
  Array.from({ length: 10 }, (_, i) => {
    const start = Math.floor(i / at) * 100 + 1;
    return [start, start + 95, start + 99] as [number, number, number];
  });

const python = { language: 'python' } as const;
const matrix: Matrix = {
  machine: {
    cpuModel: 'Test <CPU>',
    cpus: 2,
    memoryGb: 24,
    os: 'Linux',
    node: 'v24.21.0',
    python: 'Python 3.11.2',
  },
  quick: true,
  results: [
    record('io', 'sequential', 1000, 1000, 1, { requests: requests(1) }),
    record('io', 'pool-tasks', 210, 200, 4.76, { requests: requests(5) }),
    // No waterfall for a record without request times: nothing is drawn for it.
    record('io', 'pool-threads', 400, 200, 2.5),
    record('io', 'all-at-once', 105, 100, 9.52, { requests: requests(10) }),
    record('io', 'python-sequential', 1010, 1000, 1, { ...python, requests: requests(1) }),
    record('cpu', 'sequential', 2000, 2000, 1),
    // Start-up took most of this run: below 1 where a gain is expected, and the reason is named.
    record('cpu', 'threads', 2500, 1000, 0.8, {
      workers: 2,
      startupMs: 1800,
      predictedSpeedup: 1.9,
    }),
    record('cpu', 'processes', 1050, 1000, 1.9, { workers: 2, predictedSpeedup: 1.9 }),
    record('cpu', 'python-sequential', 30000, 30000, 1, python),
    record('cpu', 'python-threads', 30500, 15000, 0.98, { ...python, workers: 2 }),
    record('race', 'threads', 130, null, null, {
      example: 'racy-counter',
      expected: 400000,
      actual: 259484,
      lost: 140516,
    }),
    record('race', 'atomics', 220, null, null, {
      example: 'safe-counter',
      expected: 400000,
      actual: 400000,
      lost: 0,
      opsPerSec: 15428633,
    }),
    record('race', 'python-threads', 150, null, null, {
      ...python,
      example: 'racy-counter',
      expected: 400000,
      actual: 400000,
      lost: 0,
    }),
    record('loop', 'blocking', 966.5, 966.5, 1, {
      ticksMissed: 96,
      delayP50Ms: 967,
      delayP99Ms: 967,
      delayMaxMs: 967,
    }),
    record('loop', 'chunked', 735.9, 966.5, 1.31, {
      ticksMissed: 6,
      delayP50Ms: 1.8,
      delayP99Ms: 3,
      delayMaxMs: 3.4,
    }),
    record('loop', 'worker', 1030, 966.5, 0.94, {
      ticksMissed: 1,
      delayP50Ms: 1.1,
      delayP99Ms: 1.2,
      delayMaxMs: 9.5,
    }),
  ],
};

const dir = mkdtempSync(join(tmpdir(), 'report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const hostile = join(dir, 'hostile.ts');
writeFileSync(
  hostile,
  "const page = '</pre><script>window.__pwned = true</script>';\n// <b>not bold</b> & done\n",
);
const file = await writeReport(matrix, {
  file: join(dir, 'report.html'),
  families: [
    {
      title: 'I/O <family>',
      lesson: 'side by side',
      variants: [
        {
          ts: 'examples/sync-download/src/sync-download.ts',
          python: 'examples/sync-download/python/sync_download.py',
        },
        { ts: 'examples/async-download/src/async-download.ts' },
      ],
    },
    { title: 'Hostile', lesson: 'markup is text', variants: [{ ts: hostile }] },
  ],
});

describe.skipIf(!haveChromium)('the report, in a real browser', () => {
  it('loads with no errors, draws each lesson in its measure, and shows sources as text that fits', async () => {
    const context = await launchChromium();
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('request', (request) => {
        if (!request.url().startsWith('file:')) problems.push(`network request: ${request.url()}`);
      });
      await page.goto(`file://${file}`);
      expect(problems).toEqual([]);

      // One time chart per workload, a bar per record, carrying its number.
      const bars = await page.$$eval('section.workload', (sections) =>
        sections.map((section) => ({
          workload: section.getAttribute('data-workload'),
          times: [...section.querySelectorAll('svg.time g.bar')].map((g) => ({
            strategy: g.getAttribute('data-strategy'),
            value: Number(g.getAttribute('data-value')),
            width: Number(g.querySelector('rect')?.getAttribute('width')),
            label: g.querySelector('text.value')?.textContent,
          })),
          ideals: section.querySelectorAll('svg.time line.ideal').length,
          speedups: [...section.querySelectorAll('svg.speedup g.bar')].map((g) =>
            Number(g.getAttribute('data-value')),
          ),
          headings: [...section.querySelectorAll('h3')].map((h) => h.textContent ?? ''),
        })),
      );
      expect(bars.map((b) => b.workload)).toEqual(['io', 'cpu', 'race', 'loop']);
      const section = (workload: string) => bars.find((b) => b.workload === workload)!;
      for (const s of bars) {
        const records = matrix.results.filter((r) => r.workload === s.workload);
        expect(s.times.map((t) => [t.strategy, t.value])).toEqual(
          records.map((r) => [r.strategy, r.wallMs]),
        );
        expect(s.times.every((t) => t.width > 0)).toBe(true);
        expect(s.ideals).toBe(records.filter((r) => r.idealMs !== null).length);
      }
      // Speedups, against each language's own baseline, named; none for the event loop,
      // whose worker is the fix and would otherwise be drawn as the slowest.
      expect(section('io').speedups).toEqual([1, 4.76, 2.5, 9.52, 1]);
      expect(section('cpu').headings.join(' ')).toContain(
        "each language's own baseline run, sequential (python-sequential for Python)",
      );
      expect(section('loop').speedups).toEqual([]);
      expect(section('loop').headings.join(' ')).toMatch(
        /baseline is blocking.*the others are the fixes/,
      );
      const io = section('io').times;
      expect(io.map((t) => t.label)).toEqual([
        '1.00 s',
        '210.0 ms',
        '400.0 ms',
        '105.0 ms',
        '1.01 s',
      ]);
      expect(io[0]!.width).toBeGreaterThan(io[1]!.width);
      expect(io[1]!.width).toBeGreaterThan(io[3]!.width);

      // The race: what each strategy counted and lost, of what was expected; the fixes' rate.
      const lost = await page.$$eval('section[data-workload="race"] svg.lost g.bar', (gs) =>
        gs.map((g) => ({
          strategy: g.getAttribute('data-strategy'),
          language: g.getAttribute('data-language'),
          lost: Number(g.getAttribute('data-lost')),
          red: Number(g.querySelector('rect.lost')?.getAttribute('width')),
          kept: Number(g.querySelector('rect.kept')?.getAttribute('width')),
          text: g.querySelector('text.value')?.textContent,
        })),
      );
      expect(lost.map((l) => [l.strategy, l.language, l.lost, l.text])).toEqual([
        ['threads', 'node', 140516, 'lost 140,516 of 400,000 (35.1%)'],
        ['atomics', 'node', 0, 'exact: 400,000 of 400,000'],
        ['python-threads', 'python', 0, 'exact: 400,000 of 400,000'],
      ]);
      // The red part is the lost share of the bar: 35% of it for the racy threads, none for the exact runs.
      expect(lost[0]!.red / (lost[0]!.red + lost[0]!.kept)).toBeCloseTo(140516 / 400000, 2);
      expect(lost[1]!.red).toBe(0);
      const ops = await page.$$eval('section[data-workload="race"] svg.ops g.bar', (gs) =>
        gs.map((g) => [
          g.getAttribute('data-strategy'),
          g.querySelector('text.value')?.textContent,
        ]),
      );
      expect(ops).toEqual([['atomics', '15,428,633/s · exact']]);

      // The event loop: its heartbeat's delays and missed ticks, per strategy.
      const delays = await page.$$eval('section[data-workload="loop"] svg.delays g.bar', (gs) =>
        gs.map((g) => ({
          strategy: g.getAttribute('data-strategy'),
          values: [...g.querySelectorAll('text.value')].map((t) => t.textContent),
          missed: g.querySelector('text.outcome')?.textContent,
          widths: [...g.querySelectorAll('rect')].map((r) => Number(r.getAttribute('width'))),
        })),
      );
      expect(delays.map((d) => [d.strategy, d.values, d.missed])).toEqual([
        ['blocking', ['p50 967.0 ms', 'p99 967.0 ms', 'max 967.0 ms'], '96 ticks missed'],
        ['chunked', ['p50 1.8 ms', 'p99 3.0 ms', 'max 3.4 ms'], '6 ticks missed'],
        ['worker', ['p50 1.1 ms', 'p99 1.2 ms', 'max 9.5 ms'], '1 tick missed'],
      ]);
      // The blocked loop's delays draw longest; the fixes' far shorter.
      expect(delays[0]!.widths[1]!).toBeGreaterThan(2 * delays[1]!.widths[1]!);

      // CPU: the prediction beside the measured speedup, and the run that fell short explained.
      expect(await page.locator('section[data-workload="cpu"] line.predicted').count()).toBe(2);
      const shortfalls = await page.$$eval('section[data-workload="cpu"] ul.shortfalls li', (li) =>
        li.map((l) => [l.getAttribute('data-strategy'), l.textContent]),
      );
      expect(shortfalls).toEqual([
        [
          'threads',
          'threads (cpu-example): 0.80x (predicted 1.90x), below 1 where the lesson expects a gain: start-up 1.80 s is 72% of its 2.50 s',
        ],
      ]);
      expect(await page.locator('section[data-workload="cpu"] g.bar.shortfall').count()).toBe(1);

      // The downloads' waterfalls: one per strategy with request times, a thin bar per site.
      const falls = await page.$$eval('figure.waterfall', (figures) =>
        figures.map((f) => ({
          strategy: f.getAttribute('data-strategy'),
          language: f.getAttribute('data-language'),
          sites: [...f.querySelectorAll('g.site')].map((g) => {
            const boxes = [...g.querySelectorAll('rect')].map((r) => r.getBoundingClientRect());
            return {
              left: Math.min(...boxes.map((b) => b.left)),
              right: Math.max(...boxes.map((b) => b.right)),
            };
          }),
        })),
      );
      expect(falls.map((f) => [f.strategy, f.language, f.sites.length])).toEqual([
        ['sequential', 'node', 10],
        ['pool-tasks', 'node', 10],
        ['all-at-once', 'node', 10],
        ['python-sequential', 'python', 10],
      ]);
      const starts = (strategy: string) =>
        falls.find((f) => f.strategy === strategy)!.sites.map((s) => Math.round(s.left));
      const distinct = (values: number[]) => new Set(values).size;
      // A staircase (each request after the last one ends), two waves of five, one column.
      const stairs = falls[0]!.sites;
      for (let i = 1; i < stairs.length; i++) {
        expect(stairs[i]!.left).toBeGreaterThanOrEqual(stairs[i - 1]!.right - 0.5);
      }
      expect(distinct(starts('sequential'))).toBe(10);
      expect(distinct(starts('pool-tasks'))).toBe(2);
      expect(distinct(starts('all-at-once'))).toBe(1);

      // Node against Python: only where both ran the same job.
      const pairs = await page.$$eval('section.languages tbody tr', (rows) =>
        rows.map((r) => [r.getAttribute('data-workload'), r.lastElementChild?.textContent]),
      );
      expect(pairs).toEqual([
        ['io', 'Node 1.01x faster'],
        ['cpu', 'Node 15.00x faster'],
        ['cpu', 'Node 12.20x faster'],
        ['race', 'Node 1.15x faster'],
      ]);

      // The panes show the right files, each TypeScript variant beside its Python original.
      const panes = await page.$$eval('figure.pane', (figures) =>
        figures.map((f) => f.getAttribute('data-file')),
      );
      expect(panes).toEqual([
        'examples/sync-download/src/sync-download.ts',
        'examples/sync-download/python/sync_download.py',
        'examples/async-download/src/async-download.ts',
        hostile,
      ]);
      const syncText = await page.textContent('figure.pane[data-file$="sync-download.ts"] code');
      expect(syncText).toContain('export async function downloadAllSites');

      // Markup in a source is shown as text, never run or rendered.
      expect(
        await page.evaluate(() => (globalThis as { __pwned?: boolean }).__pwned),
      ).toBeUndefined();
      expect(await page.locator('script').count()).toBe(0);
      const hostileText = await page.textContent(`figure.pane[data-file="${hostile}"] code`);
      expect(hostileText).toContain("'</pre><script>window.__pwned = true</script>'");
      expect(hostileText).toContain('<b>not bold</b> & done');
      expect(await page.textContent('h2')).toBe('I/O-bound: downloading sites');
      expect(await page.textContent('.machine')).toContain('Test <CPU>');

      // Readable at a desk and on a phone: no pane, chart or page wider than the viewport;
      // the Python beside its TypeScript where there is room, under it where there is not.
      const layout = async (width: number) => {
        await page.setViewportSize({ width, height: 900 });
        return page.$eval('html', (root) => {
          const box = (selector: string) => root.querySelector(selector)!.getBoundingClientRect();
          return {
            viewport: root.clientWidth,
            page: root.scrollWidth,
            widest: Math.max(
              ...[...root.querySelectorAll('figure.pane, svg.chart')].map(
                (e) => e.getBoundingClientRect().right,
              ),
            ),
            ts: box('figure.pane[data-file$="sync-download.ts"]'),
            py: box('figure.pane[data-file$="sync_download.py"]'),
          };
        });
      };
      const desk = await layout(1400);
      expect(desk.page).toBeLessThanOrEqual(desk.viewport);
      expect(desk.widest).toBeLessThanOrEqual(desk.viewport);
      expect(desk.py.top).toBe(desk.ts.top);
      expect(desk.py.left).toBeGreaterThan(desk.ts.right);
      await page.screenshot({ path: '/tmp/report-1400.png', fullPage: true });
      const phone = await layout(390);
      expect(phone.page).toBeLessThanOrEqual(phone.viewport);
      expect(phone.widest).toBeLessThanOrEqual(phone.viewport);
      expect(phone.py.top).toBeGreaterThanOrEqual(phone.ts.bottom);
      await page.screenshot({ path: join(dir, 'report-390.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });
});

describe('the report, as written', () => {
  it('names the ideal and Python in the legend only when it draws them', async () => {
    const bare = {
      ...matrix,
      machine: { ...matrix.machine, python: null },
      results: [record('race', 'threads', 130, null, null, { expected: 10, actual: 9, lost: 1 })],
    };
    const html = readFileSync(
      await writeReport(bare, { file: join(dir, 'bare.html'), families: [] }),
      'utf8',
    );
    const legend = /<p class="legend">(.*?)<\/p>/.exec(html)?.[1] ?? '';
    expect(legend).toContain('Node.js');
    expect(legend).not.toContain('ideal');
    expect(legend).not.toContain('Python');
    expect(html).not.toContain('class="ideal"');
    const full = readFileSync(file, 'utf8');
    expect(/<p class="legend">(.*?)<\/p>/.exec(full)?.[1]).toMatch(/Python.*ideal.*predicted/);
  });
});
