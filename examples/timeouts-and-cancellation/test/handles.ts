// What a test leaves behind: the event loop's open handles, by kind. A
// strategy must close everything it opened (sockets, timers, workers,
// children), so the kinds counted after it are the kinds counted before.
const watched = [
  'TCPSocketWrap',
  'TCPWrap',
  'Timeout',
  'Immediate',
  'ProcessWrap',
  'PipeWrap',
  'MessagePort',
  'Worker',
];

export function openHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) {
    if (watched.includes(kind)) counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

/** The handles open now, once pending closes have had a turn of the loop to finish. */
export async function handlesAfter(): Promise<Record<string, number>> {
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  return openHandles();
}

/** Kinds (of the watched ones) that have more open handles now than in `before`. */
export async function leftOpen(before: Record<string, number>): Promise<Record<string, number>> {
  const after = await handlesAfter();
  return Object.fromEntries(Object.entries(after).filter(([kind, n]) => n > (before[kind] ?? 0)));
}
