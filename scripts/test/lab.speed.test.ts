import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog, repoRoot } from '../lab/catalog.ts';
import { type Lab, startLab } from '../lab/server.ts';
import { alive, haveChromium, launchChromium, needChromium } from './browser.ts';
import { writeDownloadsReport } from './records.ts';

// The lab page in a real browser: each run started from the page, and what
// the page draws checked against that run's own record. A speed test, run
// alone: the runs are real (threads that race, a loop that blocks).

needChromium("the lab's browser test");

/** Where the screenshots go: results/lab/ (not committed; the README's copy is docs/lab.png). */
const shots = join(repoRoot, 'results', 'lab');

interface Drawn {
  id: number;
  example: string;
  exit: { code: number | null } | null;
  blocks: {
    strategy: string;
    durationMs: number;
    record: Record<string, number> | null;
    requests: { start: number; end: number; phases: { name: string }[] }[];
    members: { name: string; tasks: unknown[]; alive?: { start: number; end: number } }[];
    heartbeat: { beats: number[]; gaps: [number, number][] };
    race: { final: number } | null;
    moments: { name: string; t: number }[];
    counters: {
      published: {
        name: string;
        series: string[];
        rows: unknown[][];
        sums: Record<string, number>;
      }[];
    };
  }[];
}

let lab: Lab;
const reportFile = join(mkdtempSync(join(tmpdir(), 'lab-report-')), 'report.html');
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  if (!haveChromium) return;
  // A report of its own to serve at /report, with a live link for each download example.
  await writeDownloadsReport(reportFile);
  lab = await startLab(await loadCatalog(), { reportFile });
  context = await launchChromium();
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  // Nothing leaves the machine: every request the page makes is to the lab.
  page.on('request', (request) => {
    if (!request.url().startsWith(lab.url)) problems.push(`off the machine: ${request.url()}`);
  });
  await page.goto(lab.url);
  await page.waitForSelector('body[data-ready="true"]');
}, 60_000);

afterAll(async () => {
  await context?.close();
  await lab?.close();
});

/** Pick the example, set its form as given, press Run, and wait for the run to end. */
async function runFromPage(example: string, values: Record<string, string | boolean> = {}) {
  const before = await page.evaluate(() => (globalThis as any).lab.state.runs.at(-1)?.id ?? 0);
  await page.click(`nav button[data-example="${example}"]`);
  for (const [key, value] of Object.entries(values)) {
    const field = page.locator(`#options [name="${key}"]`);
    if (typeof value === 'boolean') await field.setChecked(value);
    else if ((await field.evaluate((el) => el.tagName)) === 'SELECT')
      await field.selectOption(value);
    else await field.fill(value);
  }
  await page.click('#run');
  await page.waitForFunction(
    (id) => {
      const last = (globalThis as any).lab.state.runs.at(-1);
      return last && last.id > id && last.exit !== null;
    },
    before,
    { timeout: 120_000 },
  );
  const runs: Drawn[] = await page.evaluate(() => (globalThis as any).lab.model());
  return runs.at(-1)!;
}

describe.skipIf(!haveChromium)('pnpm lab, in a real browser', () => {
  it('draws all at once as 80 request lanes, all out before the first answer, within about one latency', async () => {
    const run = await runFromPage('async-download');
    expect(run.exit?.code).toBe(0);
    const [block] = run.blocks;
    expect(block?.strategy).toBe('all-at-once');
    const record = block!.record!;
    expect(block!.requests).toHaveLength(record.items!);
    expect(block!.requests).toHaveLength(80);
    const starts = block!.requests.map((r) => r.start);
    const ends = block!.requests.map((r) => r.end);
    // Every request left before the first answer came back: all at once.
    expect(Math.max(...starts)).toBeLessThan(Math.min(...ends));
    // And all 80 took about one latency (100 ms), not 80 of them: within the run's own wall time.
    expect(Math.max(...ends) - Math.min(...starts)).toBeLessThanOrEqual(record.wallMs! + 1);
    expect(Math.min(...ends) - Math.min(...starts)).toBeGreaterThanOrEqual(99);
    for (const request of block!.requests) {
      expect(request.phases.map((p) => p.name)).toEqual(
        expect.arrayContaining(['waiting', 'body']),
      );
    }
  });

  it('draws the pool as waves of 5, never more than 5 at once', async () => {
    const run = await runFromPage('pool-download', { sites: '20', latency: '50' });
    expect(run.exit?.code).toBe(0);
    const block = run.blocks[0]!;
    expect(block.requests).toHaveLength(20);
    let most = 0;
    for (const at of block.requests.map((r) => r.start)) {
      const open = block.requests.filter((r) => r.start <= at && r.end > at).length;
      most = Math.max(most, open);
    }
    expect(most).toBe(5);
    // A new wave starts when the one before it has ended: four waves of five.
    const starts = block.requests.map((r) => r.start).sort((a, b) => a - b);
    const waves = starts.filter((s, i) => i === 0 || s - starts[i - 1]! > 25).length;
    expect(waves).toBe(4);
  });

  it("draws the race's counter climbing on shared memory, ending at the record's count", async () => {
    const run = await runFromPage('racy-counter', { strategy: 'threads' });
    expect(run.exit?.code).toBe(0);
    const block = run.blocks[0]!;
    const record = block.record!;
    expect(block.members.filter((m) => m.alive)).toHaveLength(record.workers!);
    expect(block.race?.final).toBe(record.actual);
    expect(record.expected! - block.race!.final).toBe(record.lost);
  });

  it('draws a heartbeat gap for the blocking run and none for the chunked one', async () => {
    const blocking = await runFromPage('event-loop', { way: 'blocking', seconds: '0.5' });
    const chunked = await runFromPage('event-loop', { way: 'chunked', seconds: '0.5' });
    const [held] = blocking.blocks;
    const [free] = chunked.blocks;
    expect(held!.heartbeat.gaps.length).toBeGreaterThan(0);
    const gapMs = held!.heartbeat.gaps.reduce((sum, [from, to]) => sum + (to - from), 0);
    expect(gapMs).toBeGreaterThan(held!.durationMs * 0.5);
    expect(free!.heartbeat.gaps).toEqual([]);
    expect(free!.heartbeat.beats.length).toBeGreaterThan(10);
  });

  it("draws serve's answers each second and /ping's p99 as strips, the seconds adding up to the record", async () => {
    const oneSecond = { route: 'wait', seconds: '1', latency: '20', processes: '1' };
    const run = await runFromPage('serve', oneSecond);
    expect(run.exit?.code).toBe(0);
    const block = run.blocks[0]!;
    const record = block.record as unknown as Record<string, number | string>;
    const series = `${record.server} /${record.route}`;
    const perSecond = block.counters.published.find((c) => c.name === 'requests per second');
    const p99 = block.counters.published.find((c) => c.name === '/ping p99 (ms)');
    expect(perSecond?.series).toEqual([series]);
    expect(p99?.series).toEqual([series]);
    // The seconds' answers add up to the run's, within one second's worth.
    const answered = record.answered as number;
    expect(answered).toBeGreaterThan(0);
    expect(Math.abs(perSecond!.sums[series]! - answered)).toBeLessThanOrEqual(
      Math.max(1, record.answeredPerSec as number),
    );
    const titles = await page.locator('#strips .u-title').allTextContents();
    expect(titles).toEqual(
      expect.arrayContaining([
        'requests answered each second, per server and route',
        "/ping's p99 each second (ms), per server and route",
      ]),
    );
  });

  it('marks the deadline firing and each request it cancelled, as many as the record says', async () => {
    const small = { sites: '3', latencyMs: '100', deadlineMs: '30', requests: '4', python: 'off' };
    const run = await runFromPage('timeouts-and-cancellation', small);
    expect(run.exit?.code).toBe(0);
    const block = run.blocks.find((b) => b.strategy === 'signal-timeout')!;
    const names = block.moments.map((m) => m.name);
    expect(names.filter((n) => n === 'deadline')).toHaveLength(1);
    expect(names.filter((n) => n === 'cancelled')).toHaveLength(block.record!.aborted!);
    // Each cancelled after the deadline fired, not before.
    const fired = block.moments.find((m) => m.name === 'deadline')!.t;
    for (const m of block.moments.filter((m) => m.name === 'cancelled'))
      expect(m.t).toBeGreaterThanOrEqual(fired);
  });

  it('stacks two runs on one time axis, and takes screenshots at 1,400 and 390 px', async () => {
    await runFromPage('sync-download', { sites: '10', latency: '50' });
    await runFromPage('async-download', { sites: '10', latency: '50' });
    const runs: Drawn[] = await page.evaluate(() => (globalThis as any).lab.model());
    expect(runs.map((r) => r.example)).toEqual(['sync-download', 'async-download']);
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, 'lab-1400.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(shots, 'lab-390.png'), fullPage: true });
    // Nothing is cut off at 390 px: the page is no wider than the screen.
    const wide = await page.evaluate(
      () => (globalThis as any).document.documentElement.scrollWidth,
    );
    expect(wide).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1400, height: 900 });
  });

  it('stops a long run within a second: the child exits 130, and nothing is left', async () => {
    await page.click('nav button[data-example="sync-download"]');
    await page.locator('#options [name="sites"]').fill('80');
    await page.locator('#options [name="latency"]').fill('100');
    await page.click('#run');
    // Wait until it is really under way: this run's requests are being drawn.
    await page.waitForFunction(
      () => {
        const { state, model } = (globalThis as any).lab;
        const run = model().at(-1);
        return (
          state.running !== null &&
          run?.id === state.running.id &&
          run.blocks[0]?.requests.length > 2
        );
      },
      null,
      { timeout: 30_000 },
    );
    const pid = lab.runningPid()!;
    const pressed = Date.now();
    await page.click('#stop');
    await page.waitForFunction(() => (globalThis as any).lab.state.running === null, null, {
      timeout: 5_000,
    });
    const stoppedMs = Date.now() - pressed;
    const run: Drawn = (await page.evaluate(() => (globalThis as any).lab.model())).at(-1);
    expect(run.exit?.code).toBe(130);
    expect(stoppedMs).toBeLessThan(1_000);
    expect(alive(pid)).toBe(false);
    expect(await page.textContent('#summary')).toMatch(/interrupted/);
  });

  it("links the report's workloads to their live view: from the lab a link selects the example, as a file the command shows", async () => {
    await page.goto(`${lab.url}report`);
    const link = page.locator('a.live[data-example="async-download"]');
    expect(await link.isVisible()).toBe(true);
    expect(await page.locator('.live .as-file').first().isVisible()).toBe(false);
    await link.click();
    await page.waitForSelector('body[data-ready="true"]');
    expect(new URL(page.url()).hash).toBe('#async-download');
    expect(await page.textContent('#title')).toBe('async-download');
    // Opened as a file there is no lab at that address: the command and the fragment show instead.
    const file = await context.newPage();
    await file.goto(`file://${reportFile}`);
    expect(await file.locator('.live .as-file').first().isVisible()).toBe(true);
    expect(await file.locator('.live .as-file').first().textContent()).toMatch(
      /pnpm lab.*#sync-download or #async-download/,
    );
    expect(await file.locator('a.live').first().isVisible()).toBe(false);
    await file.close();
  });

  it('showed no console error, and made no request off the machine', () => {
    expect(problems).toEqual([]);
  });
});
