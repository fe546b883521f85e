// How free the loop stays while something runs: a 5 ms timer, counted. The
// lesson files do not count; this is the observer put beside them.

/** Count 5 ms heartbeats of this loop while `task` runs. */
export async function heartbeatsDuring<T>(
  task: () => Promise<T> | T,
): Promise<{ beats: number; value: T }> {
  let beats = 0;
  const timer = setInterval(() => {
    beats += 1;
  }, 5);
  try {
    const value = await task();
    await new Promise((resolve) => setImmediate(resolve)); // a due beat gets its turn
    return { beats, value };
  } finally {
    clearInterval(timer);
  }
}
