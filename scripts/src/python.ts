// Finding a Python that can run the originals: Debian's /usr/bin/python3
// first (where `apt-get install python3-requests python3-aiohttp` puts the
// libraries), then whatever python3 is on the PATH. A Python that lacks a
// library still runs the originals that do not need it.
import { execFileSync } from 'node:child_process';

/** The libraries the originals import beyond the standard library. */
export const LIBRARIES = ['requests', 'aiohttp'] as const;
export type Library = (typeof LIBRARIES)[number];

export interface PythonCheck {
  python: string | null;
  /** e.g. "Python 3.11.2" */
  version: string | null;
  /** Libraries this Python cannot import. */
  missing: Library[];
  /** What is missing, in words, or null when nothing is. */
  problem: string | null;
}

// One short run of the candidate: its version and which libraries it lacks.
const PROBE = `import importlib.util, json, platform
print(json.dumps({"version": platform.python_version(),
  "missing": [m for m in ${JSON.stringify(LIBRARIES)} if importlib.util.find_spec(m) is None]}))`;

export function findPython(candidates = ['/usr/bin/python3', 'python3']): PythonCheck {
  const found: PythonCheck[] = [];
  const absent: string[] = [];
  for (const candidate of candidates) {
    try {
      const out = execFileSync(candidate, ['-c', PROBE], {
        stdio: 'pipe',
        timeout: 20_000,
        encoding: 'utf8',
      });
      const probe = JSON.parse(out) as { version: string; missing: Library[] };
      const check: PythonCheck = {
        python: candidate,
        version: `Python ${probe.version}`,
        missing: probe.missing,
        problem:
          probe.missing.length === 0
            ? null
            : `${candidate} has no ${probe.missing.join(' or ')} (apt-get install ${probe.missing.map((m) => `python3-${m}`).join(' ')})`,
      };
      if (check.missing.length === 0) return check;
      found.push(check);
    } catch {
      absent.push(candidate);
    }
  }
  // None has everything: the one that lacks the least runs what it can.
  const best = found.sort((a, b) => a.missing.length - b.missing.length)[0];
  if (best) return best;
  return {
    python: null,
    version: null,
    missing: [...LIBRARIES],
    problem: `no Python found (tried ${absent.join(', ')})`,
  };
}
