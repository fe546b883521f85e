// Waiting that holds its thread, as time.sleep() holds a Python thread:
// Atomics.wait parks the calling thread on a cell nobody will ever notify,
// so it burns no CPU and nothing else runs on that thread meanwhile (on the
// main thread, not even the event loop).

/** Hold the calling thread for `ms` milliseconds. */
export function blockFor(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
