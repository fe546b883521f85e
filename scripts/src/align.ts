// Line alignment for side-by-side reading: the longest common subsequence of
// two files' lines, so that lines the files share face each other and the
// lines between them pair up as changes. Lines compare by their text without
// indentation, so code that one variant wraps in a call (`limit(async () =>
// ...)`) still faces its twin, marked as moved in, not as different.

/** same; only re-indented; changed (a pair of different lines); only on the left; only on the right. */
export type RowKind = 'same' | 'indent' | 'changed' | 'left' | 'right';

export interface Row {
  kind: RowKind;
  left: string | null;
  right: string | null;
}

/** Lines compare equal when they differ only in the white space around them. */
const key = (line: string) => line.trim();

export function alignLines(left: readonly string[], right: readonly string[]): Row[] {
  const n = left.length;
  const m = right.length;
  // lcs[i][j]: length of the longest common subsequence of left[i..] and right[j..].
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] =
        key(left[i]!) === key(right[j]!)
          ? lcs[i + 1]![j + 1]! + 1
          : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const rows: Row[] = [];
  let removed: string[] = [];
  let added: string[] = [];
  // A run of removed lines next to a run of added ones reads best as changed pairs.
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
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && key(left[i]!) === key(right[j]!)) {
      flush();
      const same = left[i]!.trimEnd() === right[j]!.trimEnd();
      rows.push({ kind: same ? 'same' : 'indent', left: left[i]!, right: right[j]! });
      i++;
      j++;
    } else if (j >= m || (i < n && lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      removed.push(left[i++]!);
    } else {
      added.push(right[j++]!);
    }
  }
  flush();
  return rows;
}
