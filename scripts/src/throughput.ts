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
import { fileURLToPath } from 'node:url';
import { findPython, median, option, parseOptions, runCli, startFlags } from '@lab/harness';
import { startSitesThread } from '@lab/sites';
import type { Group, Sizes } from './manifest.ts';
import { loadExamples } from './manifest.ts';
import { lastWords, runProgram } from './run.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The throughput group, the one group that is no example's: its rows are the
 * download examples that join it (their manifests' `throughput` fields), run
 * by this program, and wrk.
 */
export const throughputGroup: { id: string; group: Group; file: string; matrix: Sizes } = {
  id: 'throughput',
  group: {
    rank: 7,
    title: 'Throughput at latency 0: requests per second from one server',
    baseline: null,
    ideal: 'as-reported',
    charts: ['rate'],
  },
  file: fileURLToPath(import.meta.url),
  // One round each time: the matrix repeats every cell and takes the median itself.
  matrix: {
    full: ['--sites', '2000', '--rounds', '1'],
    quick: ['--sites', '200', '--wrk-seconds', '1', '--rounds', '1'],
  },
};

/** The longest one client or wrk may take before it is stopped. */
const RUN_TIMEOUT_MS = 5 * 60_000;

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

export interface Client {
  example: string;
  strategy: string;
  language: 'node' | 'python';
  /** The program, and the modules it needs (Python's). */
  file: string;
  nodeFlags: string[];
  needs: string[];
  /** The Node rows' rate is set against this one's, named so ("1.5x asyncio"). */
  reference?: string;
}

/** Every example that joins the benchmark, Node's in reading order, then the Python originals. */
export function clients(): Client[] {
  const examples = loadExamples(root);
  const node = examples.flatMap(({ name, dir, lab }): Client[] =>
    lab.throughput
      ? [
          {
            example: name,
            strategy: lab.throughput.strategy,
            language: 'node',
            file: `${dir}/src/main.ts`,
            // The flags each example's start script runs with.
            nodeFlags: startFlags(dir),
            needs: [],
          },
        ]
      : [],
  );
  const python = examples.flatMap(({ name, dir, lab }): Client[] =>
    lab.python?.throughput
      ? [
          {
            example: name,
            strategy: lab.python.throughput.strategy,
            language: 'python',
            file: `${dir}/${lab.python.file}`,
            nodeFlags: [],
            needs: lab.python.needs,
            reference: lab.python.throughput.reference,
          },
        ]
      : [],
  );
  return [...node, ...python];
}

const perSec = (items: number, wallMs: number) => Math.round(items / (wallMs / 1000));

async function runClient(
  client: Client,
  origin: string,
  sites: number,
  py: string | null,
  signal?: AbortSignal,
) {
  const command = client.language === 'python' ? py : process.execPath;
  if (!command) return null;
  const args = [
    ...client.nodeFlags,
    client.file,
    '--server',
    origin,
    '--sites',
    String(sites),
    '--json',
  ];
  const run = await runProgram(command, args, {
    cwd: root,
    env: { ...process.env, PYTHONPATH: `${root}scripts/python` },
    timeoutMs: RUN_TIMEOUT_MS,
    signal,
  });
  const name = `${client.example} ${client.strategy}`;
  if (run.stopped) throw new Error(`${name} ${run.stopped}`);
  if (run.code !== 0) throw new Error(`${name} failed: ${lastWords(run)}`);
  const record = (
    JSON.parse(run.stdout) as { results: Array<{ items: number; failed: number; wallMs: number }> }
  ).results[0]!;
  if (record.failed > 0) throw new Error(`${name}: ${record.failed} sites failed`);
  return record;
}

/** wrk against one site for `seconds`, 100 connections (the examples' bound). */
async function runWrk(
  origin: string,
  seconds: number,
  signal?: AbortSignal,
): Promise<ThroughputRecord | null> {
  let stdout: string;
  try {
    const run = await runProgram(
      'wrk',
      ['-t', '1', '-c', '100', '-d', `${seconds}s`, `${origin}/site/0`],
      {
        // wrk stops itself after `seconds`; this is for a wrk that does not.
        timeoutMs: (seconds + 30) * 1000,
        signal,
      },
    );
    if (run.stopped) throw new Error(`wrk ${run.stopped}`);
    if (run.code !== 0) throw new Error(`wrk failed: ${lastWords(run)}`);
    stdout = run.stdout;
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
function medianRound(runs: ThroughputRecord[]): ThroughputRecord {
  const rates = runs.map((r) => r.reqPerSec);
  const middle = runs.find((r) => r.reqPerSec === median(rates))!;
  return { ...middle, range: [Math.min(...rates), Math.max(...rates)] };
}

/** Every strategy, then wrk, against one sites server at latency 0, round after round. */
export async function measureThroughput(
  options: {
    sites?: number;
    wrkSeconds?: number;
    rounds?: number;
    clients?: Client[];
    signal?: AbortSignal;
  } = {},
): Promise<ThroughputRecord[]> {
  const { sites = 2000, wrkSeconds = 3, rounds = 3, clients: chosen = clients(), signal } = options;
  const server = await startSitesThread({ latencyMs: 0 });
  const needs = [...new Set(chosen.flatMap((c) => c.needs))];
  const py = chosen.some((c) => c.language === 'python') ? findPython(needs).python : null;
  try {
    const runs = new Map<string, ThroughputRecord[]>();
    const add = (record: ThroughputRecord) => {
      const key = `${record.example} · ${record.strategy}`;
      runs.set(key, [...(runs.get(key) ?? []), record]);
    };
    for (let round = 0; round < rounds; round++) {
      for (const client of chosen) {
        const record = await runClient(client, server.origin, sites, py, signal);
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
      const wrk = await runWrk(server.origin, wrkSeconds, signal);
      if (wrk) add(wrk);
    }
    return [...runs.values()].map(medianRound);
  } finally {
    await server.close();
  }
}

export function formatThroughput(records: readonly ThroughputRecord[]): string {
  const bound = records.find((r) => r.language === 'wrk')?.reqPerSec;
  const reference = clients().find((c) => c.reference);
  const against = reference
    ? records.find((r) => r.example === reference.example && r.strategy === reference.strategy)
    : undefined;
  const lines = records.map((r) => {
    const share = bound
      ? ` ${((r.reqPerSec / bound) * 100).toFixed(0).padStart(3)}% of loopback`
      : '';
    const vsReference =
      against && r.language === 'node'
        ? ` ${(r.reqPerSec / against.reqPerSec).toFixed(1)}x ${reference!.reference}`
        : '';
    const range = `${r.range[0]}-${r.range[1]}`.padStart(12);
    return `  ${`${r.example} · ${r.strategy}`.padEnd(38)} ${String(r.reqPerSec).padStart(7)} req/s ${range}${share}${vsReference}`;
  });
  return [
    `throughput at latency 0 (one sites server, the same run; each row the median of its rounds, then their range)`,
    ...lines,
  ].join('\n');
}

if (import.meta.main) {
  runCli('throughput', async ({ signal }) => {
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
      signal,
    });
    if (values.json)
      process.stdout.write(`${JSON.stringify({ example: 'throughput', records })}\n`);
    else console.log(formatThroughput(records));
    return 0;
  });
}
