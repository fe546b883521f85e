// Which asyncio originals are still running, from /proc.
import { readdirSync, readFileSync } from 'node:fs';
import { script } from '../src/python.ts';

/**
 * Processes still running the asyncio original against the servers a run
 * printed (its `sites:` line): none, once that run has ended. Other tests'
 * originals point at other servers, so they are not counted.
 */
export function pythonsRunning(stdout: string): string[] {
  const origin = /^sites: (http:\/\/\S+)/m.exec(stdout)?.[1];
  if (!origin) throw new Error('the run printed no sites line');
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return command.includes(script) && command.includes(origin);
      } catch {
        return false; // it ended while we looked
      }
    });
}
