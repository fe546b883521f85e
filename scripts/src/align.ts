// Line alignment for side-by-side reading. Which lines the two files share
// is jsdiff's (the `diff` package's) Myers diff over the lines, compared
// without their indentation, so code that one variant wraps in a call
// (`limit(async () => ...)`) still faces its twin. What is this module's own
// is the reading of that diff for two columns, which jsdiff does not do: a run
// of removed lines next to a run of added ones becomes pairs of changed lines
// facing each other, and a shared line whose indentation differs is marked
// as moved, not as the same.
import { diffArrays } from 'diff';

/** same; only re-indented; changed (a pair of different lines); only on the left; only on the right. */
export type RowKind = 'same' | 'indent' | 'changed' | 'left' | 'right';

export interface Row {
  kind: RowKind;
  left: string | null;
  right: string | null;
}

export function alignLines(left: readonly string[], right: readonly string[]): Row[] {
  const changes = diffArrays([...left], [...right], {
    // Lines compare equal when they differ only in the white space around them.
    comparator: (a, b) => a.trim() === b.trim(),
  });
  const rows: Row[] = [];
  let removed: string[] = [];
  let added: string[] = [];
  const flush = () => {
    const pairs = Math.max(removed.length, added.length);
    for (let k = 0; k < pairs; k++) {
      const l = removed[k] ?? null;
      const r = added[k] ?? null;
      rows.push({
        kind: l !== null && r !== null ? 'changed' : l !== null ? 'left' : 'right',
        left: l,
        right: r,
      });
    }
    removed = [];
    added = [];
  };
  // Walk both files by the changes' counts: a shared run's `value` holds one
  // side's lines only, and each side's own text (its indentation) is wanted.
  let i = 0;
  let j = 0;
  for (const change of changes) {
    if (change.removed) {
      removed.push(...left.slice(i, i + change.count));
      i += change.count;
    } else if (change.added) {
      added.push(...right.slice(j, j + change.count));
      j += change.count;
    } else {
      flush();
      for (let k = 0; k < change.count; k++, i++, j++) {
        const same = left[i]!.trimEnd() === right[j]!.trimEnd();
        rows.push({ kind: same ? 'same' : 'indent', left: left[i]!, right: right[j]! });
      }
    }
  }
  flush();
  return rows;
}
