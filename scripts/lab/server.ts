// The lab's server: a page on 127.0.0.1 that runs the lessons, and streams
// each run's events to the page while it runs (Server-Sent Events).
//
// A run is the example's own main.ts in a child process, exactly as `pnpm
// start` runs it, with LAB_TRACE_FD=3: the harness writes each trace event it
// observes as one line of JSON on that pipe (@lab/harness trace.ts), and the
// server relays them, with the summary the child prints, to every page
// listening. The same events make the trace.json a reader can download.
//
// Safe by construction: it listens on 127.0.0.1 only; it answers only a Host
// that is its own address (a DNS-rebinding page has another); it starts or
// stops a run only for its own page (the Origin, and the token the page was
// given); it runs only the catalog's examples, with options checked against
// their own specs and passed as arguments (no shell, no path from a
// request); one run at a time; a bounded store of events, and a page that
// stops reading is cut off rather than buffered for. It also serves the
// report `pnpm report` wrote (/report, one file fixed when it starts), whose
// live links are links to this page with an example selected (/#<example>).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { resultsDir } from '../src/paths.ts';
import { OPENED_AS_FILE } from '../src/report.ts';
import { argvOf, type Entry, repoRoot } from './catalog.ts';

/** Most events kept for one run (a trace of 80 downloads is about 700; serve's sweeps are the largest). */
export const MAX_EVENTS = 200_000;
/** Most bytes waiting to be written to one page before it counts as not reading, and is cut off. */
export const MAX_UNREAD = 4 * 1024 * 1024;
/** How long a run has after SIGINT before its process group is killed. */
const STOP_GRACE_MS = 3_000;

interface Run {
  id: number;
  example: string;
  argv: string[];
  child: ChildProcess;
  startedAt: number;
  events: unknown[];
  dropped: number;
  stdout: string;
  stderr: string;
  exit: { code: number | null; signal: string | null } | null;
}

const page = (name: string) => join(import.meta.dirname, 'page', name);
const STATIC: Record<string, { file: string; type: string }> = {
  '/lab.js': { file: page('lab.js'), type: 'text/javascript' },
  '/lab.css': { file: page('lab.css'), type: 'text/css' },
  '/uplot.js': {
    file: join(import.meta.dirname, '..', 'node_modules', 'uplot', 'dist', 'uPlot.iife.min.js'),
    type: 'text/javascript',
  },
  '/uplot.css': {
    file: join(import.meta.dirname, '..', 'node_modules', 'uplot', 'dist', 'uPlot.min.css'),
    type: 'text/css',
  },
};

export interface Lab {
  url: string;
  token: string;
  /** The process of the run in flight, if any (for a test to check it is gone after a stop). */
  runningPid(): number | undefined;
  /** Stop the run in flight (if any), end every stream, close the server. */
  close(): Promise<void>;
}

export interface LabOptions {
  /** The port on 127.0.0.1 (0: any free one). */
  port?: number;
  /** Most events kept for one run. */
  maxEvents?: number;
  /** Most bytes waiting for one page before it is cut off. */
  maxUnread?: number;
  /** The report served at /report: the file `pnpm report` writes (results/report.html). */
  reportFile?: string;
}

/** Where `pnpm report` writes its page by default, and so what /report serves. */
export const REPORT_FILE = join(resultsDir, 'report.html');

export async function startLab(catalog: Entry[], options: LabOptions = {}): Promise<Lab> {
  const {
    port = 0,
    maxEvents = MAX_EVENTS,
    maxUnread = MAX_UNREAD,
    reportFile = REPORT_FILE,
  } = options;
  const token = randomBytes(16).toString('hex');
  const clients = new Set<ServerResponse>();
  let run: Run | null = null;
  let runs = 0;
  let origin = '';

  const send = (res: ServerResponse, status: number, body: unknown, type = 'application/json') => {
    const text = type === 'application/json' ? JSON.stringify(body) : String(body);
    res.writeHead(status, {
      'content-type': `${type}; charset=utf-8`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      // The page loads nothing from elsewhere, and may only talk to this server.
      'content-security-policy':
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
    });
    res.end(text);
  };
  const refuse = (res: ServerResponse, status: number, error: string) =>
    send(res, status, { error });

  /** Write one SSE message to every page; a page that has stopped reading is cut off. */
  const broadcast = (event: string, data: unknown) => {
    const message = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const client of clients) {
      if (client.writableLength > maxUnread) {
        clients.delete(client);
        client.destroy();
      } else client.write(message);
    }
  };

  // Trace events arrive a line at a time, hundreds a second: relay them in batches.
  let batch: unknown[] = [];
  const flush = () => {
    if (batch.length > 0) broadcast('trace', batch);
    batch = [];
  };
  const flusher = setInterval(flush, 50);
  flusher.unref();

  const startRun = (entry: Entry, argv: string[]): Run => {
    const child = spawn(process.execPath, [...entry.nodeFlags, entry.main, ...argv], {
      cwd: entry.folder,
      env: { ...process.env, LAB_TRACE_FD: '3', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      // Its own process group, so that nothing it started outlives a stop.
      detached: true,
    });
    runs += 1;
    const current: Run = {
      id: runs,
      example: entry.name,
      argv,
      child,
      startedAt: Date.now(),
      events: [],
      dropped: 0,
      stdout: '',
      stderr: '',
      exit: null,
    };
    let pending = '';
    child.stdio[3]?.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line) continue;
        let event: unknown;
        try {
          event = JSON.parse(line);
        } catch {
          continue;
        }
        if (current.events.length >= maxEvents) {
          current.dropped += 1;
          continue;
        }
        current.events.push(event);
        batch.push(event);
      }
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      current.stdout += text;
      broadcast('stdout', text);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      current.stderr += text;
      broadcast('stderr', text);
    });
    child.on('error', (error) => broadcast('stderr', `${error.message}\n`));
    child.on('exit', (code, signal) => {
      current.exit = { code, signal };
    });
    // 'close': every pipe has ended, so every event has been read.
    child.on('close', () => {
      flush();
      broadcast('end', { id: current.id, ...current.exit, dropped: current.dropped });
      if (run === current) run = null;
      finished.push(current);
      if (finished.length > 2) finished.shift();
    });
    broadcast('start', {
      id: current.id,
      example: entry.name,
      argv,
      startedAtUs: Date.now() * 1000,
    });
    return current;
  };
  const finished: Run[] = [];

  /** Ctrl-C to the run (it prints what it finished, exits 130); then its whole group, if it lingers. */
  const stopRun = (current: Run) => {
    if (current.exit || current.child.pid === undefined) return;
    current.child.kill('SIGINT');
    const pid = current.child.pid;
    const timer = setTimeout(() => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {}
    }, STOP_GRACE_MS);
    timer.unref();
    current.child.once('close', () => {
      clearTimeout(timer);
      // Whatever the run left in its group goes with it.
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {}
    });
  };

  const readBody = (req: IncomingMessage) =>
    new Promise<unknown>((resolve, reject) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
        if (body.length > 64 * 1024) {
          reject(new RangeError('the request is too large'));
          req.destroy();
        }
      });
      req.on('end', () => {
        try {
          resolve(body ? JSON.parse(body) : {});
        } catch {
          reject(new RangeError('the request is not JSON'));
        }
      });
      req.on('error', reject);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', origin);
    // DNS rebinding: a page from another site that resolves its name to
    // 127.0.0.1 still sends its own name as the Host.
    if (req.headers.host !== new URL(origin).host) return refuse(res, 421, 'not this server');
    const isPost = req.method === 'POST';
    if (isPost) {
      if (req.headers.origin !== origin) return refuse(res, 403, 'only the lab page may do that');
      if (req.headers['x-lab-token'] !== token) return refuse(res, 403, 'no valid token');
    }
    const tokenOk = url.searchParams.get('token') === token;

    if (req.method === 'GET' && url.pathname === '/') {
      const html = readFileSync(page('index.html'), 'utf8').replace('%TOKEN%', token);
      return send(res, 200, html, 'text/html');
    }
    if (req.method === 'GET' && url.pathname === '/report') {
      // The one report, at the path this server was started with; marked as
      // opened from the lab, so that its live links show (report.ts).
      if (!existsSync(reportFile))
        return send(
          res,
          404,
          'No report yet: pnpm report writes it (results/report.html), then reload this page.',
          'text/plain',
        );
      const html = readFileSync(reportFile, 'utf8').replace(OPENED_AS_FILE, 'data-opened="lab"');
      return send(res, 200, html, 'text/html');
    }
    const asset = STATIC[url.pathname];
    if (req.method === 'GET' && asset)
      return send(res, 200, readFileSync(asset.file, 'utf8'), asset.type);

    if (req.method === 'GET' && url.pathname === '/api/examples') {
      if (!tokenOk) return refuse(res, 403, 'no valid token');
      return send(
        res,
        200,
        catalog.map(({ name, about, concept, lesson, options, strategies }) => ({
          name,
          about,
          concept,
          lesson,
          options,
          strategies,
        })),
      );
    }
    if (req.method === 'GET' && url.pathname === '/api/source') {
      if (!tokenOk) return refuse(res, 403, 'no valid token');
      const entry = catalog.find((e) => e.name === url.searchParams.get('example'));
      if (!entry) return refuse(res, 404, 'no such example');
      const read = (file: string | null) => (file ? readFileSync(file, 'utf8') : null);
      const rel = (file: string | null) => (file ? file.slice(repoRoot.length) : null);
      return send(res, 200, {
        lessonFile: rel(entry.lessonFile),
        lesson: read(entry.lessonFile),
        pythonFile: rel(entry.pythonFile),
        python: read(entry.pythonFile),
      });
    }
    if (req.method === 'GET' && url.pathname === '/api/events') {
      if (!tokenOk) return refuse(res, 403, 'no valid token');
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(': lab\n\n');
      clients.add(res);
      // The page is the run's audience: when the last one goes (the tab is
      // closed), the run goes too.
      res.on('close', () => {
        clients.delete(res);
        if (clients.size === 0 && run) stopRun(run);
      });
      return;
    }
    if (req.method === 'GET' && url.pathname === '/api/trace.json') {
      if (!tokenOk) return refuse(res, 403, 'no valid token');
      const id = Number(url.searchParams.get('run'));
      const wanted = [...finished, ...(run ? [run] : [])].find((r) => r.id === id);
      if (!wanted) return refuse(res, 404, 'no such run');
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-disposition': `attachment; filename="${wanted.example}-${wanted.id}.trace.json"`,
      });
      return res.end(JSON.stringify({ traceEvents: wanted.events, displayTimeUnit: 'ms' }));
    }
    if (isPost && url.pathname === '/api/run') {
      if (run) {
        return refuse(
          res,
          409,
          `${run.example} is running (run ${run.id}): stop it first, one run at a time`,
        );
      }
      const body = (await readBody(req)) as { example?: unknown; options?: unknown };
      const entry = catalog.find((e) => e.name === body.example);
      if (!entry) return refuse(res, 400, 'no such example');
      let argv: string[];
      try {
        argv = argvOf(entry, body.options ?? {});
      } catch (error) {
        return refuse(res, 400, (error as Error).message);
      }
      run = startRun(entry, argv);
      return send(res, 202, { id: run.id, example: entry.name, argv });
    }
    if (isPost && url.pathname === '/api/stop') {
      if (!run) return refuse(res, 409, 'no run is going');
      stopRun(run);
      return send(res, 202, { id: run.id });
    }
    return refuse(res, 404, 'no such page');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      if (!res.headersSent) refuse(res, error instanceof RangeError ? 400 : 500, error.message);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: `${origin}/`,
    token,
    runningPid: () => run?.child.pid,
    async close() {
      clearInterval(flusher);
      const current = run;
      if (current) {
        stopRun(current);
        await new Promise<void>((resolve) =>
          current.exit ? resolve() : current.child.once('close', () => resolve()),
        );
      }
      for (const client of clients) client.end();
      clients.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
