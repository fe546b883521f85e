// Finding a Python that can run an original: Debian's /usr/bin/python3
// first (where `apt-get install python3-requests python3-aiohttp ...` puts
// the libraries), then whatever python3 is on the PATH. The first one that
// imports every module asked for wins; if none does, the one that lacks the
// fewest is returned with `problem` saying what it lacks.
import { execFileSync } from 'node:child_process';

export interface PythonCheck {
  python: string | null;
  /** e.g. "Python 3.11.2" */
  version: string | null;
  /** Modules this Python cannot import. */
  missing: string[];
  /** What is missing, in words, or null when nothing is. */
  problem: string | null;
}

/** The Debian package that brings a module. */
const debianPackage = (module: string) => `python3-${module}`;

const probe = (modules: readonly string[]) => `import importlib.util, json, platform
print(json.dumps({"version": platform.python_version(),
  "missing": [m for m in ${JSON.stringify(modules)} if importlib.util.find_spec(m) is None]}))`;

const checks = new Map<string, PythonCheck>();

/** The best Python for `modules`, asked once a process for each set of modules and candidates. */
export function findPython(
  modules: readonly string[],
  candidates: readonly string[] = ['/usr/bin/python3', 'python3'],
): PythonCheck {
  const key = JSON.stringify([modules, candidates]);
  const known = checks.get(key);
  if (known) return known;
  const found: PythonCheck[] = [];
  const absent: string[] = [];
  let chosen: PythonCheck | undefined;
  for (const candidate of candidates) {
    try {
      const out = execFileSync(candidate, ['-c', probe(modules)], {
        stdio: 'pipe',
        timeout: 20_000,
        encoding: 'utf8',
      });
      const answer = JSON.parse(out) as { version: string; missing: string[] };
      const check: PythonCheck = {
        python: candidate,
        version: `Python ${answer.version}`,
        missing: answer.missing,
        problem:
          answer.missing.length === 0
            ? null
            : `${candidate} has no ${answer.missing.join(' or ')} (apt-get install ${answer.missing.map(debianPackage).join(' ')})`,
      };
      found.push(check);
      if (check.missing.length === 0) {
        chosen = check;
        break;
      }
    } catch {
      absent.push(candidate);
    }
  }
  chosen ??= found.sort((a, b) => a.missing.length - b.missing.length)[0] ?? {
    python: null,
    version: null,
    missing: [...modules],
    problem: `no Python found (tried ${absent.join(', ')})`,
  };
  checks.set(key, chosen);
  return chosen;
}
