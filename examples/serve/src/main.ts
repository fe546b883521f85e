// pnpm --filter serve start [-- --connections 10,40 --latency 100 --route wait,block --processes 2 --with-python]
import { runExample, UsageError } from '@lab/harness';
import { PROBE_EVERY_MS } from './probe.ts';
import { estimateSeconds, options, prepare, strategies } from './setup.ts';
import { summary } from './summary.ts';

runExample({
  name: 'serve',
  about:
    'Loads a Fastify server, one route per way of handling a request, from a load generator in its own process; also as N processes on one port.',
  options,
  check: ({ sweep, connections }) => {
    if (sweep && connections.join() !== '10')
      throw new UsageError('--sweep sets the connections: give one or the other');
  },
  // Before any clock: the work sized on this machine, every server started (a cluster of N among them).
  prepare: (values) => prepare({ ...values, python: values.python || '/usr/bin/python3' }),
  // Each run timed, then (untimed, in its after) beside its model and with each process's memory.
  strategies,
  heading: (values, prepared) => [
    `${prepared.servers.map((s) => s.label).join(', ')} on 127.0.0.1: ${values.latency} ms of work a request (job ${prepared.servers[0]?.setting.computeMs.toFixed(0)} ms, pbkdf2 ${prepared.servers[0]?.setting.hashMs.toFixed(0)} ms here), pool of ${values.workers}`,
    `load: autocannon, ${prepared.connections.join(', ')} connections, ${values.seconds} s a run; /ping probed every ${PROBE_EVERY_MS} ms; about ${Math.ceil(estimateSeconds(prepared, values))} s in all`,
  ],
  summary: (_, report, prepared) => summary(report, prepared.notes),
  // A request that failed (refused, reset, not 200) fails the run; the summary names it.
  exitCode: (report) => (report.results.some((r) => r.failed > 0) ? 1 : 0),
});
