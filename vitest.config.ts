import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// Two kinds of test file, run two ways:
//   test/*.test.ts        checks answers, counts and refusals: these files
//                         share the machine with each other, several at once;
//   test/*.speed.test.ts  measures (a speedup, an efficiency, a cost): these
//                         run after all the others, one file at a time, so a
//                         test of threads or processes never competes with
//                         its neighbours for the two cores.
// And a third, not in `pnpm test`: scripts/test/*.docs.test.ts runs every
// README command and every marked output block (`pnpm test:docs`).
//
// One project per workspace package, named as its package.json names it,
// and its twin `<name>:speed`, so that `vitest run --project async-download
// --project async-download:speed` runs one package's tests.
const top = dirname(fileURLToPath(import.meta.url));
const dirs = ['packages', 'examples'].flatMap((group) =>
  readdirSync(join(top, group), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(top, group, entry.name)),
);
dirs.push(join(top, 'scripts'));

// Most tests start Node processes (an example's main.ts, a worker, a child),
// and a Node process spends most of its start-up compiling the same modules
// (undici, the harness) again. Node's compile cache keeps the compiled code
// on disk for every process the tests start: an example's --help then takes
// 0.11 s of CPU instead of 0.27 s. The tests' own children inherit it.
process.env.NODE_COMPILE_CACHE ??= join(top, 'node_modules', '.cache', 'node-compile-cache');

// Most of these tests wait on child processes, sockets and timers, not on the
// CPU, so more files than cores can run at once; four measured fastest here.
const SHARED_WORKERS = 6;

const projects = dirs.flatMap((root) => {
  const name = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).name as string;
  return [
    {
      extends: true as const,
      test: {
        name,
        root,
        include: ['test/**/*.test.ts'],
        exclude: ['test/**/*.speed.test.ts', 'test/**/*.docs.test.ts'],
        maxWorkers: SHARED_WORKERS,
        sequence: { groupOrder: 0 },
      },
    },
    {
      extends: true as const,
      test: {
        name: `${name}:speed`,
        root,
        include: ['test/**/*.speed.test.ts'],
        maxWorkers: 1,
        sequence: { groupOrder: 1 },
      },
    },
  ];
});

// The docs checks: every README command, every marked output block, the
// quick matrix end to end. They check what each run prints and how it
// exits, not how fast it ran (an output block's numbers are normalised), so
// two files run at once: one after another they took 187 s here, two at
// once 134 s.
projects.push({
  extends: true as const,
  test: {
    name: 'docs',
    root: join(top, 'scripts'),
    include: ['test/**/*.docs.test.ts'],
    exclude: [],
    maxWorkers: 2,
    sequence: { groupOrder: 2 },
  },
});

// In a fresh clone vitest has no durations to go by and starts the larger
// files first. The docs checks' longest file (readme-outputs, about two
// minutes of output blocks one after another) is the smallest of the three
// and so started last, after the matrix: it now starts first, beside the
// other two in turn (a fresh clone's test:docs, 160 s -> 131 s). The other
// groups keep vitest's order: the first is bound by the CPU (62-67 s in any
// order tried), the speed files run one at a time.
const FIRST = 'scripts/test/readme-outputs.docs.test.ts';
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]) {
    const rank = (spec: TestSpecification) =>
      spec.project.config.sequence.groupOrder * 2 + (spec.moduleId.endsWith(FIRST) ? 0 : 1);
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    projects,
    sequence: { sequencer: LongestFirst },
    // A worker runs its files one after another (each file cleans up what it
    // starts), instead of a fresh worker per file at ~0.3 s each.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
