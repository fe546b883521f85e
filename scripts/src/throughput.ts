// Throughput: how many requests per second each download strategy gets out of
// one sites server at latency 0, where nothing is waited for and only the
// cost of a request is left. Every strategy (one at a time, a pool of tasks,
// all at once) and the Python originals run against the same server in the
// same run, and wrk measures the loopback bound: the most this server and
// this machine's loopback can serve, with a client written in C.
//
//   pnpm throughput [-- --sites 2000 --rounds 3 --json]
//
// Runs on these machines vary by a third from one to the next (the same
// client, the same server: 4,700 to 8,200 req/s), so every client runs once
// in each of --rounds rounds, taken in turns, and each row is its median.
//
// The server runs on a worker thread of this process, which only waits for
// its children, so the server has a core to itself while each client runs.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { option, parseOptions, runCli, startFlags } from '@lab/harness';
import { startSitesThread } from '@lab/sites';
import { findPython } from './python.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

export interface ThroughputRecord {
  example: string;
  strategy: string;
  language: 'node' | 'python' | 'wrk';
  items: number;
  wallMs: number;
  /** The median round's rate. */
  reqPerSec: number;
  /** The slowest and fastest rounds' rates. */
  range: [number, number];
}

interface Client {
  example: string;
  strategy: string;
  language: 'node' | 'python';
  command: string;
  args: (origin: string, sites: number) => string[];
}

const node = (example: string, strategy: string, extra: string[] = []): Client => ({
  example,
  strategy,
  language: 'node',
  command: process.execPath,
  // The flags each example's start script runs with.
  args: (origin, sites) => [
    ...startFlags(`${root}examples/${example}`),
    `${root}examples/${example}/src/main.ts`,
    ...['--server', origin, '--sites', String(sites), '--json', ...extra],
  ],
});

const python = (example: string, file: string, strategy: string): Client => ({
  example,
  strategy,
  language: 'python',
  command: '',
  args: (origin, sites) => [
    `${root}examples/${example}/python/${file}`,
    ...['--server', origin, '--sites', String(sites), '--json'],
  ],
});

export const CLIENTS: Client[] = [
  node('sync-download', 'sequential'),
  node('pool-download', 'pool-tasks'),
  node('async-download', 'all-at-once'),
  python('sync-download', 'sync_download.py', 'python-sequential'),
  python('pool-download', 'thread_pool.py', 'python-threads'),
  python('async-download', 'async_download.py', 'python-asyncio'),
];

const perSec = (items: number, wallMs: number) => Math.round(items / (wallMs / 1000));

async function runClient(client: Client, origin: string, sites: number, py: string | null) {
  const command = client.language === 'python' ? py : client.command;
  if (!command) return null;
  const { stdout } = await run(command, client.args(origin, sites), {
    cwd: root,
    env: { ...process.env, PYTHONPATH: `${root}scripts/python` },
    maxBuffer: 64 * 1024 * 1024,
  });
  const record = (
    JSON.parse(stdout) as { results: Array<{ items: number; failed: number; wallMs: number }> }
  ).results[0]!;
  if (record.failed > 0)
    throw new Error(`${client.example} ${client.strategy}: ${record.failed} sites failed`);
  return record;
}

/** wrk against one site for `seconds`, 100 connections (the examples' bound). */
async function runWrk(origin: string, seconds: number): Promise<ThroughputRecord | null> {
  let stdout: string;
  try {
    ({ stdout } = await run('wrk', [
      '-t',
      '1',
      '-c',
      '100',
      '-d',
      `${seconds}s`,
      `${origin}/site/0`,
    ]));
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return null;
    throw error;
  }
  // "  123456 requests in 2.00s, 1.18GB read"
  const match = /(\d+) requests in ([\d.]+)(m?s)/.exec(stdout);
  if (!match) throw new Error(`could not read wrk's output: ${stdout.split('\n')[0]}`);
  const items = Number(match[1]);
  const wallMs = Number(match[2]) * (match[3] === 's' ? 1000 : 1);
  const reqPerSec = perSec(items, wallMs);
  return {
    example: 'loopback',
    strategy: 'wrk -c 100',
    language: 'wrk',
    items,
    wallMs,
    reqPerSec,
    range: [reqPerSec, reqPerSec],
  };
}

/** The round with the median rate, and the range of all of them. */
function median(runs: ThroughputRecord[]): ThroughputRecord {
  const sorted = [...runs].sort((x, y) => x.reqPerSec - y.reqPerSec);
  const middle = sorted[(sorted.length - 1) >> 1] as ThroughputRecord;
  const rates = sorted.map((r) => r.reqPerSec);
  return { ...middle, range: [rates[0] as number, rates.at(-1) as number] };
}

/** Every strategy, then wrk, against one sites server at latency 0, round after round. */
export async function measureThroughput(
  options: { sites?: number; wrkSeconds?: number; rounds?: number; clients?: Client[] } = {},
): Promise<ThroughputRecord[]> {
  const { sites = 2000, wrkSeconds = 3, rounds = 3, clients = CLIENTS } = options;
  const server = await startSitesThread({ latencyMs: 0 });
  const py = findPython().python;
  try {
    const runs = new Map<string, ThroughputRecord[]>();
    const add = (record: ThroughputRecord) => {
      const key = `${record.example} · ${record.strategy}`;
      runs.set(key, [...(runs.get(key) ?? []), record]);
    };
    for (let round = 0; round < rounds; round++) {
      for (const client of clients) {
        const record = await runClient(client, server.origin, sites, py);
        if (!record) continue;
        const { example, strategy, language } = client;
        // The rate from the time as recorded, so each row reads as its own arithmetic.
        const wallMs = Math.round(record.wallMs * 10) / 10;
        const reqPerSec = perSec(record.items, wallMs);
        add({
          example,
          strategy,
          language,
          items: record.items,
          wallMs,
          reqPerSec,
          range: [reqPerSec, reqPerSec],
        });
      }
      const wrk = await runWrk(server.origin, wrkSeconds);
      if (wrk) add(wrk);
    }
    return [...runs.values()].map(median);
  } finally {
    await server.close();
  }
}

export function formatThroughput(records: readonly ThroughputRecord[]): string {
  const bound = records.find((r) => r.language === 'wrk')?.reqPerSec;
  const asyncio = records.find((r) => r.strategy === 'python-asyncio')?.reqPerSec;
  const lines = records.map((r) => {
    const share = bound
      ? ` ${((r.reqPerSec / bound) * 100).toFixed(0).padStart(3)}% of loopback`
      : '';
    const vsAsyncio =
      asyncio && r.language === 'node' ? ` ${(r.reqPerSec / asyncio).toFixed(1)}x asyncio` : '';
    const range = `${r.range[0]}-${r.range[1]}`.padStart(12);
    return `  ${`${r.example} · ${r.strategy}`.padEnd(38)} ${String(r.reqPerSec).padStart(7)} req/s ${range}${share}${vsAsyncio}`;
  });
  return [
    `throughput at latency 0 (one sites server, the same run; each row the median of its rounds, then their range)`,
    ...lines,
  ].join('\n');
}

if (import.meta.main) {
  runCli('throughput', async () => {
    const values = parseOptions(
      process.argv.slice(2),
      {
        sites: option.int('downloads per strategy', { default: 2000, min: 1, max: 1_000_000 }),
        wrkSeconds: option.int('how long wrk runs', { default: 3, min: 1, max: 600 }),
        rounds: option.int('rounds: every client once in each, taken in turns', {
          default: 3,
          min: 1,
          max: 100,
        }),
        json: option.flag('print the records as one JSON object'),
      },
      'Usage: pnpm throughput [-- options]\nRequests per second of every download strategy at latency 0, and the loopback bound (wrk).',
    );
    const records = await measureThroughput({
      sites: values.sites,
      wrkSeconds: values.wrkSeconds,
      rounds: values.rounds,
    });
    if (values.json)
      process.stdout.write(`${JSON.stringify({ example: 'throughput', records })}\n`);
    else console.log(formatThroughput(records));
    return 0;
  });
}
