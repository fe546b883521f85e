import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadExamples } from '../src/manifest.ts';
import { repoRoot } from '../src/paths.ts';
import { readingOrderTable } from '../src/reading-order.ts';

/** A copy of every example's package.json (and the files they name) in a fresh folder, to break one. */
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function copyOfTheExamples(): string {
  const root = mkdtempSync(join(tmpdir(), 'manifests-'));
  dirs.push(root);
  for (const name of readdirSync(join(repoRoot, 'examples'))) {
    const from = join(repoRoot, 'examples', name);
    const to = join(root, 'examples', name);
    mkdirSync(to, { recursive: true });
    cpSync(join(from, 'package.json'), join(to, 'package.json'));
    for (const sub of ['src', 'python']) {
      try {
        cpSync(join(from, sub), join(to, sub), { recursive: true });
      } catch {
        // An example without Python.
      }
    }
  }
  return root;
}
const edit = (root: string, example: string, change: (lab: Record<string, unknown>) => void) => {
  const file = join(root, 'examples', example, 'package.json');
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  change(pkg.lab);
  writeFileSync(file, JSON.stringify(pkg));
};

describe("the examples' manifests", () => {
  it('are read for every example folder, in reading order', () => {
    const examples = loadExamples();
    const folders = readdirSync(join(repoRoot, 'examples')).sort();
    expect(examples.map((e) => e.name).sort()).toEqual(folders);
    expect(examples.map((e) => e.lab.order)).toEqual(
      [...examples.map((e) => e.lab.order)].sort((a, b) => a - b),
    );
  });

  it('refuse a bad field in one line naming the package and the field', () => {
    const cases: [string, (lab: Record<string, unknown>) => void, string][] = [
      [
        'event-loop',
        (lab) => delete lab.concept,
        'examples/event-loop/package.json: lab.concept must be a non-empty string',
      ],
      [
        'serve',
        (lab) => (lab.strategies = 'ping'),
        'examples/serve/package.json: lab.strategies must be a list of strings',
      ],
      [
        'pool-download',
        (lab) => (lab.pairs = { 'pool-warm': 'python-threads' }),
        'examples/pool-download/package.json: lab.pairs.pool-warm is not one of lab.strategies',
      ],
      [
        'sync-download',
        (lab) => ((lab.sources as { ts: string }[])[0]!.ts = 'src/gone.ts'),
        'examples/sync-download/package.json: lab.sources[0].ts names src/gone.ts, which is not there',
      ],
      [
        'cpu-multiprocess',
        (lab) => ((lab.group as { charts: string[] }).charts = ['time', 'pie']),
        'examples/cpu-multiprocess/package.json: lab.group.charts[1] must be one of',
      ],
      [
        'async-download',
        (lab) =>
          (lab.group = (
            JSON.parse(
              readFileSync(join(repoRoot, 'examples/sync-download/package.json'), 'utf8'),
            ) as { lab: { group: unknown } }
          ).lab.group),
        "examples/async-download/package.json: lab.group: workload io's group is declared by sync-download already",
      ],
      [
        'racy-counter',
        (lab) => (lab.order = 5),
        "examples/safe-counter/package.json: lab.order 5 is racy-counter's too",
      ],
    ];
    for (const [example, change, message] of cases) {
      const root = copyOfTheExamples();
      edit(root, example, change);
      let error: Error | undefined;
      try {
        loadExamples(root);
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message, example).toContain(message);
      expect(error?.message.split('\n'), example).toHaveLength(1);
    }
  });
  it('take a new example, in a workload of its own, from its own folder alone', () => {
    const root = copyOfTheExamples();
    const dir = join(root, 'examples', 'worker-pool');
    mkdirSync(join(dir, 'src'), { recursive: true });
    writeFileSync(join(dir, 'src', 'worker-pool.ts'), 'export {};\n');
    const lab = {
      workload: 'pool',
      order: 99,
      concept: 'a pool of workers',
      lesson: 'W at once, each started once',
      command: 'pnpm --filter worker-pool start',
      sources: [{ ts: 'src/worker-pool.ts' }],
      strategies: ['cold', 'warm'],
      gains: ['warm'],
      matrix: { full: [], quick: ['--tasks', '4'] },
      group: {
        rank: 9,
        title: 'A pool of workers',
        baseline: { node: 'cold', python: null },
        ideal: 'as-reported',
        charts: ['time', 'speedup'],
      },
    };
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'worker-pool', lab }));
    const examples = loadExamples(root);
    expect(examples.at(-1)?.name).toBe('worker-pool');
    expect(readingOrderTable(examples)).toContain(
      '| a pool of workers          | [worker-pool](examples/worker-pool/README.md)',
    );
  });
});
