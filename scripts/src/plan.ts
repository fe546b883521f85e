// Which of the matrix's cells can run on this machine, and a line for each
// that cannot: an example not built yet, a program it needs not installed
// (redis-server), no Python, or a Python without a module an original imports.
import { existsSync } from 'node:fs';
import { basename, delimiter, join, relative } from 'node:path';
import type { PythonCheck } from '@lab/harness';
import type { Cell } from './cells.ts';
import { repoRoot } from './paths.ts';

/** Whether a program is on the PATH. */
export const onPath = (command: string) =>
  (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, command)));

export function planCells(
  wanted: Cell[],
  found: PythonCheck | null,
  exists: (file: string) => boolean = existsSync,
  installed: (command: string) => boolean = onPath,
): { runnable: Cell[]; skipped: string[] } {
  const skipped = new Set<string>();
  const runnable = wanted.filter((cell) => {
    const name = basename(cell.file);
    const absent = (cell.commands ?? []).filter((command) => !installed(command));
    if (!exists(cell.file)) {
      skipped.add(
        cell.language === 'node'
          ? `skipped: ${cell.example} not built (no ${relative(repoRoot, cell.file)})`
          : `skipped: ${name} not written (no ${relative(repoRoot, cell.file)})`,
      );
    } else if (absent.length > 0) {
      skipped.add(
        `skipped: ${cell.example} needs ${absent.join(' and ')}, which is not installed here (apt-get install ${absent.join(' ')})`,
      );
    } else if (cell.language === 'python' && !found?.python) {
      skipped.add(`skipped: ${name} (no Python to run it)`);
    } else if (cell.needs?.some((module) => found?.missing.includes(module))) {
      skipped.add(
        `skipped: ${name} needs ${cell.needs.join(' and ')}, which ${found?.python} lacks`,
      );
    } else return true;
    return false;
  });
  return { runnable, skipped: [...skipped] };
}
