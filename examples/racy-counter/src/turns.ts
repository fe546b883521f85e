// Letting the event loop breathe during an async count.
//
// The async tasks here await only promises that are already settled, so
// they run one after another in microtasks and never give the event loop a
// turn: no timer, no I/O, no signal handler runs until they are all done. A
// long count could not even be stopped with Ctrl-C. So every TURN_EVERY
// rounds every task awaits the SAME promise, settled by setImmediate: the
// loop gets one turn (and the handler a chance to abort the signal), then
// the tasks carry on in the same order as before. The count comes out
// exactly as it would without the pause.
export const TURN_EVERY = 1 << 16;

/** A function that, for round i, returns one promise shared by every task in that round. */
export function eventLoopTurns(signal?: AbortSignal): (round: number) => Promise<void> {
  let current = -1;
  let turn = Promise.resolve();
  return (round) => {
    if (round !== current) {
      current = round;
      turn = new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
        signal?.throwIfAborted(),
      );
    }
    return turn;
  };
}
