// All at once, head to head with the notes' asyncio original: both clients
// against one sites server, in the same run, taking turns (the order flips
// every round, so neither always goes first on a machine that is warming up
// or busy). Each client is a process of its own; this process only holds the
// server, on a worker thread, and waits.
//
//   pnpm --filter async-download versus-asyncio [-- --rounds 5 --sites 80 --latency 100 --json]
//
// Efficiency is one latency (the ideal) over the wall time each client
// measured around its own downloads. The summary gives each client's best
// and median; "ahead" is decided by the medians.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { option, parseOptions, runCli, startFlags } from '@lab/harness';
import { startSitesThread } from '@lab/sites';

const run = promisify(execFile);
const here = fileURLToPath(new URL('./', import.meta.url));
const root = fileURLToPath(new URL('../../../', import.meta.url));

export interface Turn {
  client: string;
  round: number;
  wallMs: number;
  efficiency: number;
  timeline?: Record<string, number | null>;
}

interface Contender {
  client: string;
  command: string;
  args: (origin: string, sites: number) => string[];
}

// The flags of the example's own start script.
const NODE_FLAGS = startFlags(new URL('../', import.meta.url));

export const CONTENDERS: Contender[] = [
  {
    client: 'node all-at-once',
    command: process.execPath,
    args: (origin, sites) => [
      ...NODE_FLAGS,
      `${here}../src/main.ts`,
      ...['--server', origin, '--sites', String(sites), '--json'],
    ],
  },
  {
    client: 'python asyncio',
    command: '/usr/bin/python3',
    args: (origin, sites) => [
      `${here}../python/async_download.py`,
      ...['--server', origin, '--sites', String(sites), '--json'],
    ],
  },
];

async function turn(c: Contender, origin: string, sites: number, latencyMs: number, round: number) {
  const { stdout } = await run(c.command, c.args(origin, sites), {
    cwd: root,
    env: { ...process.env, PYTHONPATH: `${root}scripts/python` },
    maxBuffer: 16 * 1024 * 1024,
  });
  const record = (
    JSON.parse(stdout) as {
      results: Array<{
        items: number;
        failed: number;
        wallMs: number;
        timeline?: Turn['timeline'];
      }>;
    }
  ).results[0]!;
  if (record.failed > 0) throw new Error(`${c.client}: ${record.failed} sites failed`);
  const result: Turn = {
    client: c.client,
    round,
    wallMs: Math.round(record.wallMs * 10) / 10,
    efficiency: Math.round((latencyMs / record.wallMs) * 1000) / 1000,
  };
  if (record.timeline) result.timeline = record.timeline;
  return result;
}

export async function versus(
  options: { rounds?: number; sites?: number; latencyMs?: number; contenders?: Contender[] } = {},
): Promise<Turn[]> {
  const { rounds = 5, sites = 80, latencyMs = 100, contenders = CONTENDERS } = options;
  const server = await startSitesThread({ latencyMs });
  try {
    const turns: Turn[] = [];
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? contenders : [...contenders].reverse();
      for (const c of order) turns.push(await turn(c, server.origin, sites, latencyMs, round));
    }
    return turns;
  } finally {
    await server.close();
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export function summarize(turns: readonly Turn[]) {
  const clients = [...new Set(turns.map((t) => t.client))];
  return clients.map((client) => {
    const mine = turns.filter((t) => t.client === client);
    const eff = mine.map((t) => t.efficiency);
    return {
      client,
      runs: mine.length,
      bestEfficiency: Math.max(...eff),
      medianEfficiency: median(eff),
      wallMs: mine.map((t) => t.wallMs),
    };
  });
}

export function formatVersus(turns: readonly Turn[], latencyMs: number): string {
  const rows = summarize(turns).map(
    (s) =>
      `  ${s.client.padEnd(18)} median efficiency ${s.medianEfficiency.toFixed(2)}, best ${s.bestEfficiency.toFixed(2)}` +
      ` (${s.wallMs.map((ms) => ms.toFixed(0)).join(', ')} ms)`,
  );
  return [
    `all at once vs asyncio, ${latencyMs} ms latency, one server, turns interleaved`,
    ...rows,
  ].join('\n');
}

if (import.meta.main) {
  runCli('versus-asyncio', async () => {
    const values = parseOptions(
      process.argv.slice(2),
      {
        rounds: option.int('turns per client', { default: 5, min: 1, max: 100 }),
        sites: option.int('sites per run', { default: 80, min: 1, max: 100 }),
        latency: option.int('the server latency in ms', { default: 100, min: 1, max: 10_000 }),
        json: option.flag('print the turns as one JSON object'),
      },
      'Usage: pnpm --filter async-download versus-asyncio [-- options]\nThe all-at-once client against the asyncio original, one server, interleaved.',
    );
    const turns = await versus({
      rounds: values.rounds,
      sites: values.sites,
      latencyMs: values.latency,
    });
    if (values.json) {
      process.stdout.write(
        `${JSON.stringify({ example: 'versus-asyncio', turns, summary: summarize(turns) })}\n`,
      );
    } else console.log(formatVersus(turns, values.latency));
    return 0;
  });
}
