// pnpm --filter timeouts-and-cancellation start [-- --sites 20 --deadline-ms 100 --python off]
//
// Python's "Coroutines and Tasks", the part about stopping work: a timeout
// that stops the work and one that does not, cancellation that reaches only
// code that listens, shield, completion order and a hedged request, eager
// start, and crossing threads. Each prints the measured line that proves it,
// and the asyncio original's beside it, counted by the same server.
import { option, runExample } from '@lab/harness';
import { pythonProblem } from './python.ts';
import { checkSizes, startServers, ways } from './ways.ts';

runExample({
  name: 'timeouts-and-cancellation',
  about:
    'Timeouts, cancellation, shield, completion order, eager start and threads, beside asyncio.',
  options: {
    sites: option.int('downloads under each timeout', { default: 20, min: 1, max: 500 }),
    latencyMs: option.int("the slow server's latency, ms (above the deadline)", {
      default: 300,
      min: 1,
      max: 10_000,
    }),
    deadlineMs: option.int('the timeout, ms', { default: 100, min: 1, max: 5_000 }),
    requests: option.int('requests with and without hedging', { default: 100, min: 1, max: 1_000 }),
    python: option.choice(
      'run the asyncio original beside each (auto: if a Python with aiohttp is there)',
      ['auto', 'off'],
      'auto',
    ),
  },
  check: checkSizes,
  prepare: ({ latencyMs, json }) => {
    // With --json, stdout is the one JSON object: the lessons' own lines go nowhere.
    if (json) console.log = () => {};
    return startServers(latencyMs); // the slow and the fast one, each on a thread of its own
  },
  strategies: (values, servers) =>
    ways({ ...values, python: values.python === 'auto' && !pythonProblem() }, servers),
  heading: ({ latencyMs, python }, { slow, fast }) => [
    `sites: ${slow.origin} (${latencyMs} ms, the slow one), ${fast.origin} (20 ms)`,
    ...(python === 'auto' && pythonProblem() ? [`asyncio: skipped (${pythonProblem()})`] : []),
  ],
  summary: () => ({ columns: [{ key: 'proof', label: 'what the run measured' }] }),
});
