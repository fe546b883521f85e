import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Entry, loadCatalog } from '../lab/catalog.ts';
import { type Lab, startLab } from '../lab/server.ts';
import { alive } from './browser.ts';
import { writeDownloadsReport } from './records.ts';

let catalog: Entry[];
let lab: Lab;
let origin: string;
// The report this lab serves: its own, in a folder of its own (written by a test).
const dir = mkdtempSync(join(tmpdir(), 'lab-report-'));
const reportFile = join(dir, 'report.html');

beforeAll(async () => {
  catalog = await loadCatalog();
  // A small bound on what a page may leave unread, so a test can reach it.
  lab = await startLab(catalog, { maxUnread: 64 * 1024, reportFile });
  origin = lab.url.replace(/\/$/, '');
});
afterAll(async () => {
  await lab?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw HTTP request, so that Host and Origin are exactly what the test says. */
function raw(
  method: string,
  path: string,
  headers: Record<string, string>,
  body = '',
): Promise<{ status: number; text: string }> {
  const { port, hostname } = new URL(lab.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString('utf8');
    });
    socket.on('end', () => resolve({ status: Number(text.split(' ')[1]), text }));
    socket.on('error', reject);
    const lines = [
      `${method} ${path} HTTP/1.1`,
      ...Object.entries({
        connection: 'close',
        'content-length': String(Buffer.byteLength(body)),
        ...headers,
      }).map(([k, v]) => `${k}: ${v}`),
    ];
    socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
  });
}

const host = () => new URL(lab.url).host;
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  raw(
    'POST',
    path,
    {
      host: host(),
      origin,
      'x-lab-token': lab.token,
      'content-type': 'application/json',
      ...headers,
    },
    JSON.stringify(body),
  );

describe('pnpm lab, safe by construction', () => {
  it('lists every example, in the reading order, with the options its own --help --json states', async () => {
    expect(catalog.map((e) => e.name)).toContain('async-download');
    const entry = catalog.find((e) => e.name === 'async-download')!;
    const sites = entry.options.find((o) => o.key === 'sites');
    expect(sites).toMatchObject({ kind: 'int', min: 1 });
    // Nothing that takes a path or a URL, and not the output flags the lab sets itself.
    expect(entry.options.map((o) => o.key)).not.toContain('server');
    expect(entry.options.map((o) => o.key)).not.toContain('trace');
    expect(entry.options.map((o) => o.key)).not.toContain('json');
  });

  it('answers only its own Host: a rebinding page gets nothing, not even the page', async () => {
    expect((await raw('GET', '/', { host: host() })).status).toBe(200);
    for (const foreign of ['evil.example', `evil.example:${new URL(lab.url).port}`, 'localhost']) {
      const answer = await raw('GET', '/', { host: foreign });
      expect(answer.status).toBe(421);
      expect(answer.text).not.toContain(lab.token);
    }
  });

  it('starts nothing for a foreign Origin, no Origin, or a missing or wrong token', async () => {
    const run = { example: 'async-basics', options: {} };
    expect((await post('/api/run', run, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await post('/api/run', run, { origin: '' })).status).toBe(403);
    expect((await post('/api/run', run, { 'x-lab-token': '' })).status).toBe(403);
    expect((await post('/api/run', run, { 'x-lab-token': 'f'.repeat(32) })).status).toBe(403);
    const events = await raw('GET', '/api/events', { host: host() });
    expect(events.status).toBe(403);
    expect(lab.runningPid()).toBeUndefined();
  });

  it('refuses an example, an option or a value outside the spec, saying which', async () => {
    const refusals: [unknown, RegExp][] = [
      [{ example: '../../etc', options: {} }, /no such example/],
      [{ example: 'async-download', options: { sites: 0 } }, /--sites must be within 1 and/],
      [{ example: 'async-download', options: { sites: 2.5 } }, /--sites must be a whole number/],
      [
        { example: 'async-download', options: { server: 'http://127.0.0.1:1' } },
        /no option server/,
      ],
      [{ example: 'async-download', options: { trace: '/etc/passwd' } }, /no option trace/],
      [{ example: 'racy-counter', options: { strategy: 'rm -rf' } }, /--strategy must be one of/],
      [{ example: 'async-download', options: { verbose: 'yes' } }, /--verbose is on or off/],
      [{ example: 'async-download', options: ['--json'] }, /options must be an object/],
    ];
    for (const [body, reason] of refusals) {
      const answer = await post('/api/run', body);
      expect(answer.status).toBe(400);
      expect(answer.text).toMatch(reason);
    }
    expect(lab.runningPid()).toBeUndefined();
  });

  it('runs one at a time: a second run gets 409 and says why; a stop ends the first with 130', async () => {
    const first = await post('/api/run', { example: 'async-basics', options: {} });
    expect(first.status).toBe(202);
    const second = await post('/api/run', { example: 'async-download', options: {} });
    expect(second.status).toBe(409);
    expect(second.text).toMatch(/async-basics is running .*one run at a time/);
    const pid = lab.runningPid()!;
    expect(pid).toBeGreaterThan(0);
    expect((await post('/api/stop', {})).status).toBe(202);
    await waitFor(() => lab.runningPid() === undefined, 5_000);
    expect(alive(pid)).toBe(false);
  });

  it('serves the report at /report, its live links made links to this page, and nothing else by that path', async () => {
    const get = (path: string, headers: Record<string, string> = {}) =>
      raw('GET', path, { host: host(), ...headers });
    // None written yet: it says how to make one.
    const none = await get('/report');
    expect(none.status).toBe(404);
    expect(none.text).toMatch(/pnpm report/);
    await writeDownloadsReport(reportFile);
    const served = await get('/report');
    expect(served.status).toBe(200);
    expect(served.text).toMatch(/content-type: text\/html/);
    // The page loads nothing from elsewhere, and runs no script of its own.
    expect(served.text).toMatch(/content-security-policy: default-src 'self'/);
    expect(served.text).toContain('<html lang="en" data-opened="lab">');
    expect(served.text).toContain('href="/#async-download"');
    expect(served.text).toContain('href="/#sync-download"');
    // It carries no token, and the file on disk is as pnpm report wrote it.
    expect(served.text).not.toContain(lab.token);
    expect(readFileSync(reportFile, 'utf8')).toContain('<html lang="en" data-opened="file">');
    // A rebinding page gets nothing of it.
    const foreign = await get('/report', { host: 'evil.example' });
    expect(foreign.status).toBe(421);
    expect(foreign.text).not.toContain('concurrency-lab');
    // No other file by another path, or by a path in the query.
    for (const path of [
      '/report.html',
      '/report/',
      '/report/../package.json',
      '/results/report.html',
      '/report%2f..%2fpackage.json',
    ]) {
      expect((await get(path)).status, path).toBe(404);
    }
    const queried = await get('/report?file=/etc/passwd');
    expect(queried.status).toBe(200);
    expect(queried.text).not.toMatch(/root:/);
    // It is read, never written to: a POST is refused.
    expect((await post('/report', {})).status).toBe(404);
    expect((await post('/report', {}, { origin: 'http://evil.example' })).status).toBe(403);
  });

  it('cuts off a page that never reads, and keeps no more than its bound for it', async () => {
    const { port, hostname } = new URL(lab.url);
    // A client that asks for the events, then never reads a byte of them.
    const lazy = connect(Number(port), hostname);
    lazy.pause();
    const closed = new Promise<void>((resolve) => lazy.once('close', () => resolve()));
    lazy.write(`GET /api/events?token=${lab.token} HTTP/1.1\r\nhost: ${host()}\r\n\r\n`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Thousands of requests: far more events than the bound and the socket's buffers hold.
    const started = await post('/api/run', {
      example: 'async-download',
      options: { sites: 10000, latency: 0 },
    });
    expect(started.status).toBe(202);
    await waitFor(() => lab.runningPid() === undefined, 60_000);
    // Reading now, it finds its stream ended by the server: it was cut off,
    // not buffered for (a page still listening keeps its stream open).
    lazy.on('error', () => {});
    lazy.resume();
    const cutOff = await Promise.race([
      closed.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000)),
    ]);
    lazy.destroy();
    expect(cutOff).toBe(true);
  });
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
