// pnpm --filter serve start [-- --connections 10,40 --latency 100 --route wait,block --sweep --with-python]
import { option, runExample, UsageError } from '@lab/harness';
import { PROBE_EVERY_MS } from './probe.ts';
import {
  complete,
  connectionsOption,
  estimateSeconds,
  prepare,
  routesOption,
  SWEEP,
  strategies,
} from './setup.ts';
import { summary } from './summary.ts';

runExample({
  name: 'serve',
  about:
    'Loads a Fastify server, one route per way of handling a request, from a load generator in its own process.',
  options: {
    latency: option.number('each request waits, or computes, for about this many ms', {
      default: 100,
      min: 1,
      max: 10_000,
    }),
    connections: connectionsOption("the load generator's connections (one run per count)", [10]),
    sweep: option.flag(`every route at ${SWEEP.join(', ')} connections`),
    route: routesOption('which routes to load'),
    workers: option.int('threads in the pool the blocking wait is offloaded to', {
      default: 4,
      min: 1,
      max: 64,
    }),
    seconds: option.number('how long each run sends load', { default: 1, min: 0.2, max: 60 }),
    withPython: option.flag('load the FastAPI app too, with the same load generator'),
    python: option.path('the python3 with FastAPI and uvicorn (default /usr/bin/python3)'),
  },
  check: ({ sweep, connections }) => {
    if (sweep && connections.join() !== '10')
      throw new UsageError('--sweep sets the connections: give one or the other');
  },
  // Before any clock: the work sized on this machine, every server started.
  prepare: (values) => prepare({ ...values, python: values.python || '/usr/bin/python3' }),
  strategies,
  complete, // each run beside its model
  heading: (values, prepared) => [
    `${prepared.servers.map((s) => s.label).join(', ')} on 127.0.0.1: ${values.latency} ms of work a request (job ${prepared.servers[0]?.setting.computeMs.toFixed(0)} ms, pbkdf2 ${prepared.servers[0]?.setting.hashMs.toFixed(0)} ms here), pool of ${values.workers}`,
    `load: autocannon, ${prepared.connections.join(', ')} connections, ${values.seconds} s a run; /ping probed every ${PROBE_EVERY_MS} ms; about ${Math.ceil(estimateSeconds(prepared, values))} s in all`,
  ],
  summary: (_, report, prepared) => summary(report, prepared.notes),
  // A request that failed (refused, reset, not 200) fails the run; the summary names it.
  exitCode: (report) => (report.results.some((r) => r.failed > 0) ? 1 : 0),
});
