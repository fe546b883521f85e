// What the matrix runs: every example, through its own main.ts, with the
// flags for a full run or a quick one. Python originals run against the same
// embedded sites server and the same CPU job.
import { join } from 'node:path';
import { startFlags } from '@lab/harness';
import { repoRoot } from './paths.ts';
import type { Library } from './python.ts';

export type Workload =
  | 'io'
  | 'cpu'
  | 'race'
  | 'loop'
  | 'basics'
  | 'timeouts'
  | 'throughput'
  | 'serve';
export const WORKLOADS: Workload[] = [
  'io',
  'cpu',
  'race',
  'loop',
  'basics',
  'timeouts',
  'throughput',
  'serve',
];

export interface Cell {
  workload: Workload;
  /** The example package whose main.ts runs (or whose python/ file, for Python). */
  example: string;
  language: 'node' | 'python';
  /** The program: a main.ts, or a Python file. */
  file: string;
  /** Node.js flags before the file: the example's own start script's (@lab/harness startFlags). */
  nodeFlags?: string[];
  args: string[];
  /** Python libraries the program imports (it is skipped, and says why, without them). */
  needs?: Library[];
  /** A program that measures itself over many runs (serve's sweep): run once, without a warm-up. */
  once?: boolean;
}

export interface Sizes {
  quick: boolean;
  withPython: boolean;
  /** The sites server for Python's downloads (default: the SERVER placeholder). */
  server?: string;
}

/** Stands for the sites server's origin in Python's arguments until the matrix has started it. */
export const SERVER = '{sites-server}';

const main = (example: string) => join(repoRoot, 'examples', example, 'src', 'main.ts');
const py = (example: string, file: string) => join(repoRoot, 'examples', example, 'python', file);

/** The strategy each workload's speedups are measured against (Node's). */
export const BASELINE: Record<Workload, string | null> = {
  io: 'sequential',
  cpu: 'sequential',
  race: null,
  loop: 'blocking',
  basics: 'sequential',
  // Each strategy proves a claim (in flight at the server, steps after abort()), not a speedup.
  timeouts: null,
  // Requests per second, measured against one server in one run: a rate, not a speedup.
  throughput: null,
  // Requests per second per route, each against its own model (Little's law).
  serve: null,
};

export function cells(sizes: Sizes): Cell[] {
  const { quick, withPython } = sizes;
  const sites = quick
    ? ['--sites', '20', '--latency', '50']
    : ['--sites', '80', '--latency', '100'];
  // With Python beside it, the CPU job is the notes' own size: CPython takes
  // about 50 ns a step where Node takes 1-3, and 35 million a number would
  // keep it busy for minutes.
  const cpu = quick
    ? ['--numbers', '8', '--base', '2000000']
    : withPython
      ? ['--base', '5000000']
      : [];
  const counts = quick
    ? ['--workers', '4', '--increments', '100000']
    : ['--workers', '4', '--increments', '1000000'];
  const loop = quick ? ['--numbers', '3', '--base', '10000000'] : [];
  const scale = ['--scale', quick ? '0.05' : '0.5'];
  // Beside Python, Node's downloads use the matrix's one sites server too, so
  // both languages are measured against the same server in the same run.
  const ioSites = withPython ? ['--server', sizes.server ?? SERVER, '--sites', sites[1]!] : sites;
  const node = (workload: Workload, example: string, args: string[]): Cell => ({
    workload,
    example,
    language: 'node',
    file: main(example),
    nodeFlags: startFlags(join(repoRoot, 'examples', example)),
    args,
  });
  const list: Cell[] = [
    node('io', 'sync-download', ioSites),
    node('io', 'pool-download', [...ioSites, '--pool', 'tasks']),
    node('io', 'pool-download', [...ioSites, '--pool', 'threads']),
    node('io', 'pool-download', [...ioSites, '--pool', 'processes']),
    node('io', 'async-download', ioSites),
    // The same, its connections opened before the clock: labelled, not a rival.
    node('io', 'async-download', [...ioSites, '--preconnect']),
    node('cpu', 'cpu-multiprocess', cpu),
    node('race', 'racy-counter', counts),
    node('race', 'safe-counter', counts),
    node('loop', 'event-loop', loop),
    node('basics', 'async-basics', scale),
    // asyncio's lines run inside it, against its own servers, when Python is wanted.
    node('timeouts', 'timeouts-and-cancellation', [
      ...(quick ? ['--latency-ms', '200', '--deadline-ms', '50', '--requests', '20'] : []),
      '--python',
      withPython ? 'auto' : 'off',
    ]),
    // The throughput benchmark (scripts/src/throughput.ts) runs every download
    // strategy, the Python originals among them where a Python is found, and wrk.
    {
      workload: 'throughput',
      example: 'throughput',
      language: 'node',
      file: join(repoRoot, 'scripts', 'src', 'throughput.ts'),
      // One round each time: the matrix repeats every cell and takes the median itself.
      args: quick
        ? ['--sites', '200', '--wrk-seconds', '1', '--rounds', '1']
        : ['--sites', '2000', '--rounds', '1'],
    },
    // Every route at several connection counts, beside FastAPI's app when
    // Python is wanted (serve runs it, and skips it, saying why, without
    // FastAPI): one run of serve is already dozens of measured runs.
    {
      ...node('serve', 'serve', [
        ...(quick
          ? ['--route', 'ping,wait,block,offload', '--latency', '50', '--seconds', '0.5']
          : ['--sweep', '--seconds', '1']),
        ...(withPython ? ['--with-python'] : []),
      ]),
      once: true,
    },
  ];
  if (withPython) {
    const server = sizes.server ?? SERVER;
    const pySites = ['--server', server, '--sites', sites[1]!];
    const python = (
      workload: Workload,
      example: string,
      file: string,
      args: string[],
      needs: Library[] = [],
    ): Cell => ({ workload, example, language: 'python', file: py(example, file), args, needs });
    const pyCpu = quick ? ['--numbers', '8', '--base', '2000000'] : ['--base', '5000000'];
    list.push(
      python('io', 'sync-download', 'sync_download.py', pySites, ['requests']),
      python('io', 'pool-download', 'thread_pool.py', pySites, ['requests']),
      python('io', 'async-download', 'async_download.py', pySites, ['aiohttp']),
      python('cpu', 'cpu-multiprocess', 'cpu_multiprocess.py', pyCpu),
      python('race', 'racy-counter', 'racy_counter.py', counts),
      python('race', 'safe-counter', 'safe_counter.py', counts),
      python('basics', 'async-basics', 'async_basics.py', scale),
    );
  }
  return list;
}
