// pnpm --filter timeouts-and-cancellation python [-- --only timeout,cancel]
// Starts the two sites servers (the slow one every timeout races, a fast one
// for the hedged request) and runs the asyncio original against them, as it
// prints itself.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { startSitesThread } from '@lab/sites';
import { asyncioPython, pythonProblem, script } from './python.ts';

const problem = pythonProblem();
if (problem) {
  process.stderr.write(
    `timeouts-and-cancellation: ${problem}: the original needs Python 3.11 with aiohttp\n`,
  );
  process.exit(1);
}
const slow = await startSitesThread({ latencyMs: 300, recordRequests: true });
const fast = await startSitesThread({ latencyMs: 20, recordRequests: true });
console.log(`sites: ${slow.origin} (300 ms), ${fast.origin} (20 ms)`);
const args = [
  script,
  '--server',
  slow.origin,
  '--fast-server',
  fast.origin,
  ...process.argv.slice(2).filter((arg, i) => i > 0 || arg !== '--'),
];
const child = spawn(asyncioPython().python ?? 'python3', args, { stdio: 'inherit' });
process.on('SIGINT', () => child.kill('SIGINT'));
const [code] = await once(child, 'close');
await Promise.all([slow.close(), fast.close()]);
process.exitCode = (code as number | null) ?? 130;
