// What V8's collections free during a run: loaded before a download main
// with --import, it prints on stderr, when the process exits, one entry a
// collection: when it began (ms since the process started), its kind (s: a
// scavenge of the young generation, M: a full mark-compact), how long it
// took, and the MB of ArrayBuffers (answers' bytes as read from the sockets)
// still held after it.
//
//   pnpm --filter async-download gc-trace [-- --sites 10000 --latency 0]
//
// Buffers that only a full collection frees climb from one scavenge to the
// next and drop at each M: something in the old generation still points at
// them. The script runs the example with a 16 MB young generation and no cap
// on the old one (the start script's caps collect the old generation early,
// which hides the climb).
import { constants, type NodeGCPerformanceDetail, PerformanceObserver } from 'node:perf_hooks';

const entries: string[] = [];
const kind = (k: number) =>
  k === constants.NODE_PERFORMANCE_GC_MINOR
    ? 's'
    : k === constants.NODE_PERFORMANCE_GC_MAJOR
      ? 'M'
      : null;

const observer = new PerformanceObserver((list) => {
  const heldMb = Math.round(process.memoryUsage().arrayBuffers / 2 ** 20);
  for (const entry of list.getEntries()) {
    // A 'gc' entry's detail is NodeGCPerformanceDetail; Node's types leave it off the entry.
    const k = kind((entry as unknown as { detail: NodeGCPerformanceDetail }).detail.kind);
    if (k)
      entries.push(
        `${Math.round(entry.startTime)} ${k} ${entry.duration.toFixed(1)} ms ${heldMb} MB`,
      );
  }
});
observer.observe({ entryTypes: ['gc'] });

process.on('exit', () => {
  observer.disconnect();
  process.stderr.write(
    `collections (start ms, kind, duration, ArrayBuffers held after):\n${entries.join('\n')}\n`,
  );
});
