import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { Matrix, MatrixRecord } from '../src/matrix.ts';
import { writeReport } from '../src/report.ts';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI) {
  throw new Error(`${CHROMIUM} is missing: .ci/run installs it with apt-get install chromium`);
}
if (!haveChromium)
  console.warn(`skipped the browser test: no ${CHROMIUM} (apt-get install chromium)`);

const record = (
  workload: MatrixRecord['workload'],
  strategy: string,
  wallMs: number,
  idealMs: number | null,
  speedup: number | null,
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
  }) as MatrixRecord;

const matrix: Matrix = {
  machine: {
    cpuModel: 'Test <CPU>',
    cpus: 2,
    memoryGb: 24,
    os: 'Linux',
    node: 'v24.21.0',
    python: null,
  },
  quick: true,
  results: [
    record('io', 'sequential', 8000, 8000, 1),
    record('io', 'pool-tasks', 1650, 1600, 4.85),
    record('io', 'all-at-once', 125, 100, 64),
    record('cpu', 'sequential', 2000, 2000, 1),
    record('cpu', 'threads', 1050, 1000, 1.9),
    { ...record('race', 'threads', 130, null, null), lost: 140516, expected: 400000 },
    { ...record('race', 'atomics', 220, null, null), lost: 0, actual: 400000 },
  ],
};

const dir = mkdtempSync(join(tmpdir(), 'report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const hostile = join(dir, 'hostile.ts');
writeFileSync(
  hostile,
  "const page = '</pre><script>window.__pwned = true</script>';\n// <b>not bold</b> & done\n",
);
const file = writeReport(matrix, {
  file: join(dir, 'report.html'),
  families: [
    {
      title: 'I/O <family>',
      lesson: 'side by side',
      files: [
        'examples/sync-download/src/sync-download.ts',
        'examples/async-download/src/async-download.ts',
        'examples/sync-download/python/sync_download.py',
      ],
    },
    { title: 'Hostile', lesson: 'markup is text', files: [hostile] },
  ],
});

describe.skipIf(!haveChromium)('the report, in a real browser', () => {
  it('loads with no errors, draws every bar with the matrix numbers, and shows sources as text', async () => {
    const profile = mkdtempSync(join(tmpdir(), 'chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
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
          outcomes: [...section.querySelectorAll('svg.time text.outcome')].map(
            (t) => t.textContent,
          ),
        })),
      );
      expect(bars.map((b) => b.workload)).toEqual(['io', 'cpu', 'race']);
      for (const section of bars) {
        const records = matrix.results.filter((r) => r.workload === section.workload);
        expect(section.times.map((t) => [t.strategy, t.value])).toEqual(
          records.map((r) => [r.strategy, r.wallMs]),
        );
        expect(section.times.every((t) => t.width > 0)).toBe(true);
        expect(section.ideals).toBe(records.filter((r) => r.idealMs !== null).length);
        expect(section.speedups).toEqual(
          records.filter((r) => r.speedup !== null).map((r) => r.speedup),
        );
      }
      // What each run came to stands beside its time: for the race, the time alone says little.
      expect(bars[2]!.outcomes).toEqual(['lost 140,516 of 400,000', 'exact: 400,000']);
      const io = bars[0]!.times;
      expect(io.map((t) => t.label)).toEqual(['8.00 s', '1.65 s', '125.0 ms']);
      // Longer times draw longer bars.
      expect(io[0]!.width).toBeGreaterThan(io[1]!.width);
      expect(io[1]!.width).toBeGreaterThan(io[2]!.width);

      // The panes show the right files, Python beside the TypeScript.
      const panes = await page.$$eval('figure.pane', (figures) =>
        figures.map((f) => f.getAttribute('data-file')),
      );
      expect(panes).toEqual([
        'examples/sync-download/src/sync-download.ts',
        'examples/async-download/src/async-download.ts',
        'examples/sync-download/python/sync_download.py',
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
      await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
