// Finding a Python that can run the originals: Debian's /usr/bin/python3
// first (where `apt-get install python3-requests python3-aiohttp` puts the
// libraries), then whatever python3 is on the PATH.
import { execFileSync } from 'node:child_process';

export interface PythonCheck {
  python: string | null;
  /** e.g. "Python 3.11.2" */
  version: string | null;
  /** Why there is none, e.g. "python3 has no aiohttp". */
  problem: string | null;
}

export function findPython(): PythonCheck {
  const problems: string[] = [];
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    try {
      const version = execFileSync(
        candidate,
        ['-c', 'import requests, aiohttp, platform; print(platform.python_version())'],
        { stdio: 'pipe', timeout: 20_000, encoding: 'utf8' },
      ).trim();
      return { python: candidate, version: `Python ${version}`, problem: null };
    } catch (error) {
      const text = String((error as { stderr?: Buffer }).stderr ?? (error as Error).message);
      const missing = /No module named '([^']+)'/.exec(text)?.[1];
      problems.push(missing ? `${candidate} has no ${missing}` : `${candidate} not found`);
    }
  }
  return {
    python: null,
    version: null,
    problem: `${problems.join('; ')} (apt-get install python3-requests python3-aiohttp)`,
  };
}
