// Every example with Python originals runs them with `pnpm --filter <name>
// python`, and each original finds scripts/python/lab.py itself, from any
// folder: no PYTHONPATH to set.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../src/paths.ts';

const sh = (command: string, cwd: string) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    execFile(
      'sh',
      ['-c', command],
      { cwd, timeout: 30_000, env: { ...process.env, PYTHONPATH: '' } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    ),
  );

/** The examples whose Python originals import lab.py, and the original each runs. */
const originals = readdirSync(join(repoRoot, 'examples'))
  .map((name) => ({ name, dir: join(repoRoot, 'examples', name) }))
  .filter(({ dir }) => existsSync(join(dir, 'python')))
  .flatMap(({ name, dir }) =>
    readdirSync(join(dir, 'python'))
      .filter((file) => file.endsWith('.py'))
      .filter((file) => readFileSync(join(dir, 'python', file), 'utf8').includes('from lab import'))
      .map((file) => ({ name, dir, file: `python/${file}` })),
  );
const debianPython = existsSync('/usr/bin/python3');
if (!debianPython) console.warn('skipped running the Python originals: no /usr/bin/python3');

describe('the Python originals, as pnpm scripts', () => {
  it('are the seven the notes re-create, at least', () => {
    expect(originals.length).toBeGreaterThanOrEqual(7);
  });

  it('each example has a `python` script that runs its original', () => {
    for (const { name, dir, file } of originals) {
      const scripts = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).scripts;
      expect(scripts.python, name).toBeDefined();
      // Either the original itself, or a runner of the example's own that starts it.
      if (scripts.python.includes('python3')) expect(scripts.python, name).toContain(file);
    }
  });

  it.skipIf(!debianPython)(
    "each finds lab.py itself, run as the script runs it (pnpm's `--` included) and from its folder",
    async () => {
      for (const { name, dir, file } of originals) {
        const scripts = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).scripts;
        if (!scripts.python.includes('python3')) continue;
        // pnpm --filter <name> python -- --help runs the script with `-- --help`.
        const viaPnpm = await sh(`${scripts.python} -- --help`, dir);
        expect(viaPnpm.stderr, name).toBe('');
        expect(viaPnpm.code, name).toBe(0);
        expect(viaPnpm.stdout, name).toMatch(/^usage: /);
        const fromRoot = await sh(`/usr/bin/python3 examples/${name}/${file} --help`, repoRoot);
        expect(fromRoot.code, name).toBe(0);
      }
    },
  );

  it('racy-counter runs on one core through the project Node (pnpm --filter racy-counter start:one-core)', () => {
    const dir = join(repoRoot, 'examples', 'racy-counter');
    const scripts = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).scripts;
    expect(scripts['start:one-core']).toBe('taskset -c 0 node src/main.ts');
  });
});
