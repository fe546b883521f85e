// Which of the matrix's cells can run on this machine, and a line for each
// that cannot: an example not built yet, no Python, or a Python without a
// module an original imports.
import { existsSync } from 'node:fs';
import { basename, relative } from 'node:path';
import type { PythonCheck } from '@lab/harness';
import type { Cell } from './cells.ts';
import { repoRoot } from './paths.ts';

export function planCells(
  wanted: Cell[],
  found: PythonCheck | null,
  exists: (file: string) => boolean = existsSync,
): { runnable: Cell[]; skipped: string[] } {
  const skipped = new Set<string>();
  const runnable = wanted.filter((cell) => {
    const name = basename(cell.file);
    if (!exists(cell.file)) {
      skipped.add(
        cell.language === 'node'
          ? `skipped: ${cell.example} not built (no ${relative(repoRoot, cell.file)})`
          : `skipped: ${name} not written (no ${relative(repoRoot, cell.file)})`,
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
